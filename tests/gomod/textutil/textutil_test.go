package textutil

import (
	"fmt"
	"os"
	"path/filepath"
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

// TestSleep runs only when GOMOD_SLEEP is set: it outlasts a short -timeout.
func TestSleep(t *testing.T) {
	d, err := time.ParseDuration(os.Getenv("GOMOD_SLEEP"))
	if err != nil {
		t.Skip("set GOMOD_SLEEP=30s to run")
	}
	time.Sleep(d)
}
