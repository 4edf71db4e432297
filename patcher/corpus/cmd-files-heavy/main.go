// cmd-files-heavy: a plain command that writes, lists and reads back 400
// files in the preopened directory (argv[1]) while its heap keeps growing
// (about 64 MiB retained plus garbage). With the stock command adapter this kind
// of program dies with "assertion failed at adapter line ..." because Go's
// heap reuses the pages the adapter got from memory.grow.
package main

import (
	"crypto/sha256"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"sort"
)

const files = 400

func payload(i int) []byte {
	b := make([]byte, 1024+i*7)
	for j := range b {
		b[j] = byte('a' + (i+j)%26)
	}
	return b
}

func main() {
	dir := os.Args[1]
	var retained [][]byte
	var garbage []byte
	for i := 0; i < files; i++ {
		if err := os.WriteFile(filepath.Join(dir, fmt.Sprintf("f-%04d.dat", i)), payload(i), 0o644); err != nil {
			fmt.Println("write:", err)
			os.Exit(1)
		}
		// grow the heap between file operations
		chunk := make([]byte, 160<<10)
		chunk[0], chunk[len(chunk)-1] = byte(i), byte(i>>8)
		retained = append(retained, chunk)
		garbage = make([]byte, 96<<10)
		garbage[0] = 1
		if i%50 == 49 {
			entries, err := os.ReadDir(dir)
			if err != nil {
				fmt.Println("readdir:", err)
				os.Exit(1)
			}
			fmt.Printf("after %d writes: %d entries\n", i+1, len(entries))
		}
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		fmt.Println("readdir:", err)
		os.Exit(1)
	}
	names := make([]string, 0, len(entries))
	for _, e := range entries {
		names = append(names, e.Name())
	}
	sort.Strings(names)
	h := sha256.New()
	bad := 0
	for i, name := range names {
		b, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil || string(b) != string(payload(i)) {
			bad++
		}
		h.Write(b)
		retained = append(retained, make([]byte, 4<<10))
	}
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	sum := 0
	for _, c := range retained[:files] {
		sum += int(c[0]) + int(c[len(c)-1])
	}
	fmt.Printf("files=%d mismatches=%d\n", len(names), bad)
	fmt.Printf("sha256=%x\n", h.Sum(nil))
	fmt.Printf("retained chunk checksum=%d\n", sum)
	fmt.Printf("heap>=60MiB: %v\n", ms.HeapAlloc >= 60<<20)
	runtime.KeepAlive(garbage)
}
