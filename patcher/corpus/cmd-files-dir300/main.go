// cmd-files-dir300: write 300 files into the preopened directory (argv[1]),
// list the directory (os.ReadDir and File.ReadDir in chunks of 64), read
// every file back and verify. A directory this large needs several
// fd_readdir calls through the adapter's directory-entry cache.
package main

import (
	"crypto/sha256"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

const count = 300

func content(i int) []byte {
	return []byte(strings.Repeat(fmt.Sprintf("file %03d;", i), i%17+1))
}

func main() {
	dir := filepath.Join(os.Args[1], "many")
	if err := os.Mkdir(dir, 0o755); err != nil {
		fmt.Println("mkdir:", err)
		os.Exit(1)
	}
	for i := 0; i < count; i++ {
		name := filepath.Join(dir, fmt.Sprintf("entry-with-a-longish-name-%04d.txt", i))
		if err := os.WriteFile(name, content(i), 0o644); err != nil {
			fmt.Println("write:", err)
			os.Exit(1)
		}
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		fmt.Println("readdir:", err)
		os.Exit(1)
	}
	fmt.Println("os.ReadDir entries:", len(entries))
	fmt.Println("first:", entries[0].Name())
	fmt.Println("last:", entries[len(entries)-1].Name())

	// chunked listing, order not guaranteed -> sort
	f, err := os.Open(dir)
	if err != nil {
		fmt.Println("open dir:", err)
		os.Exit(1)
	}
	var names []string
	chunks := 0
	for {
		part, err := f.ReadDir(64)
		for _, e := range part {
			names = append(names, e.Name())
		}
		if len(part) > 0 {
			chunks++
		}
		if err == io.EOF {
			break
		}
		if err != nil {
			fmt.Println("readdir chunk:", err)
			os.Exit(1)
		}
	}
	f.Close()
	sort.Strings(names)
	unique := 0
	for i := range names {
		if i == 0 || names[i] != names[i-1] {
			unique++
		}
	}
	fmt.Printf("chunked listing: %d names, %d unique, %d chunks\n", len(names), unique, chunks)

	h := sha256.New()
	bad := 0
	var total int
	for i, e := range entries {
		b, err := os.ReadFile(filepath.Join(dir, e.Name()))
		if err != nil || string(b) != string(content(i)) {
			bad++
		}
		total += len(b)
		h.Write(b)
	}
	fmt.Printf("read back: %d bytes, %d mismatches\n", total, bad)
	fmt.Printf("sha256=%x\n", h.Sum(nil))
}
