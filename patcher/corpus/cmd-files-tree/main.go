// cmd-files-tree: build a nested tree (depth 4, fan-out 3) in the preopened
// directory (argv[1]), walk it with filepath.WalkDir and fs.WalkDir(os.DirFS),
// read it recursively with os.ReadDir, glob it, then os.RemoveAll it.
package main

import (
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

func build(dir string, depth int) (files int) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		panic(err)
	}
	for i := 0; i < 2; i++ {
		name := filepath.Join(dir, fmt.Sprintf("f%d.txt", i))
		if err := os.WriteFile(name, []byte(name[len(root):]), 0o644); err != nil {
			panic(err)
		}
		files++
	}
	if depth == 0 {
		return files
	}
	for i := 0; i < 3; i++ {
		files += build(filepath.Join(dir, fmt.Sprintf("d%d", i)), depth-1)
	}
	return files
}

func recurse(dir string) (dirs, files int, bytes int64) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		panic(err)
	}
	for _, e := range entries {
		if e.IsDir() {
			d, f, b := recurse(filepath.Join(dir, e.Name()))
			dirs += d + 1
			files += f
			bytes += b
			continue
		}
		info, err := e.Info()
		if err != nil {
			panic(err)
		}
		files++
		bytes += info.Size()
	}
	return
}

var root string

func main() {
	root = filepath.Join(os.Args[1], "tree")
	fmt.Println("files created:", build(root, 4))

	var walked []string
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(root, p)
		walked = append(walked, filepath.ToSlash(rel))
		return nil
	})
	if err != nil {
		panic(err)
	}
	fmt.Println("filepath.WalkDir visited:", len(walked))
	fmt.Println("first six:", strings.Join(walked[:6], " "))
	fmt.Println("WalkDir order is lexical per directory:", lexicalWalk(walked))

	n := 0
	maxDepth := 0
	err = fs.WalkDir(os.DirFS(root), ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		n++
		if c := strings.Count(p, "/"); c > maxDepth {
			maxDepth = c
		}
		return nil
	})
	if err != nil {
		panic(err)
	}
	fmt.Println("fs.WalkDir(DirFS) visited:", n, "max depth:", maxDepth)

	d, f, b := recurse(root)
	fmt.Printf("os.ReadDir recursion: dirs=%d files=%d bytes=%d\n", d, f, b)

	m, err := filepath.Glob(filepath.Join(root, "d*", "d1", "f*.txt"))
	if err != nil {
		panic(err)
	}
	fmt.Println("glob d*/d1/f*.txt:", len(m))

	data, err := fs.ReadFile(os.DirFS(root), "d2/d2/d2/d2/f1.txt")
	fmt.Printf("DirFS read: %q %v\n", data, err)

	if err := os.RemoveAll(root); err != nil {
		panic(err)
	}
	_, err = os.Stat(root)
	fmt.Println("removed:", os.IsNotExist(err))
}

// lexicalWalk reports whether each directory's children were visited in name order.
func lexicalWalk(paths []string) bool {
	last := map[string]string{}
	for _, p := range paths {
		parent := filepath.Dir(p)
		if prev, ok := last[parent]; ok && prev > p {
			return false
		}
		last[parent] = p
	}
	return true
}
