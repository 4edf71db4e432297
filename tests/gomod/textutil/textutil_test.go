package textutil

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"
)

var setUp bool

func TestMain(m *testing.M) {
	setUp = true
	fmt.Println("TestMain: set up")
	os.Exit(m.Run())
}

func TestSetUpRan(t *testing.T) {
	if !setUp {
		t.Fatal("TestMain did not run first")
	}
}

func TestReverse(t *testing.T) {
	for _, c := range []struct{ name, in, want string }{
		{"ascii", "gopher", "rehpog"},
		{"unicode", "héllo, 世界", "界世 ,olléh"},
		{"empty", "", ""},
	} {
		t.Run(c.name, func(t *testing.T) {
			if got := Reverse(c.in); got != c.want {
				t.Errorf("Reverse(%q) = %q, want %q", c.in, got, c.want)
			}
		})
	}
}

// TestGolden reads testdata/ by a relative path: the guest's cwd must be the package directory.
func TestGolden(t *testing.T) {
	data, err := os.ReadFile(filepath.Join("testdata", "words.txt"))
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(string(data)), "\n")
	if got := Words(string(data)); got != 9 || len(lines) != 3 {
		t.Errorf("Words = %d over %d lines, want 9 over 3", got, len(lines))
	}
	t.Logf("read %d bytes from testdata", len(data))
}

// TestTempFiles writes under t.TempDir (TMPDIR from the environment, reached through the root preopen).
func TestTempFiles(t *testing.T) {
	p := filepath.Join(t.TempDir(), "x.txt")
	if err := os.WriteFile(p, []byte(Reverse("olleh")), 0o644); err != nil {
		t.Fatal(err)
	}
	if b, err := os.ReadFile(p); err != nil || string(b) != "hello" {
		t.Fatalf("read back %q, %v", b, err)
	}
}

var sleep = flag.Duration("sleep", 0, "TestSleep sleeps this long (go_wasip1_wasm_exec passes no environment, so a flag)")

// TestSleep runs only with -args -sleep=D: it outlasts a short -timeout.
func TestSleep(t *testing.T) {
	if *sleep == 0 {
		t.Skip("pass -args -sleep=30s to run")
	}
	time.Sleep(*sleep)
}

var spin = flag.Bool("spin", false, "TestSpin never yields")

// TestSpin runs only with -args -spin: a loop that never yields, so the binary's own -test.timeout
// panic cannot run (Wasm has no preemption) and only the runner can stop it.
func TestSpin(t *testing.T) {
	if !*spin {
		t.Skip("pass -args -spin to run")
	}
	n := 0
	for *spin {
		n++
	}
	t.Log(n)
}

func depth(n int) int {
	if n == 0 {
		return 0
	}
	return depth(n-1) + 1
}

// TestDeepRecursion needs more than a 1 MiB Wasm stack: Go 1.25+'s go_wasip1_wasm_exec gives 8 MiB.
func TestDeepRecursion(t *testing.T) {
	if got := depth(100000); got != 100000 {
		t.Fatalf("depth = %d", got)
	}
}

// TestRunnerEnvironment: go_wasip1_wasm_exec passes only PWD and PATH to a wasip1 test binary.
func TestRunnerEnvironment(t *testing.T) {
	if runtime.GOOS != "wasip1" {
		t.Skip("the runner's environment is a wasip1 matter")
	}
	if os.Getenv("HOME") != "" || os.Getenv("PWD") == "" {
		t.Errorf("environment %q: want only PWD and PATH", os.Environ())
	}
}

func BenchmarkReverse(b *testing.B) {
	for i := 0; i < b.N; i++ {
		Reverse("héllo, 世界")
	}
}
