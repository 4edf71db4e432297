// cmd-files-basic: everyday file operations in the preopened directory
// (argv[1]): create, write, read, seek, append, stat, truncate, rename,
// remove, nested directories, and the error text for a missing file.
package main

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

var dir string

func check(what string, err error) {
	if err != nil {
		fmt.Printf("FAIL %s: %v\n", what, clean(err.Error()))
		os.Exit(1)
	}
}

// clean replaces the data directory with <data> so native and wasm runs print the same.
func clean(s string) string { return strings.ReplaceAll(s, dir, "<data>") }

func main() {
	dir = os.Args[1]
	p := filepath.Join(dir, "hello.txt")

	// create + write
	f, err := os.Create(p)
	check("create", err)
	n, err := f.WriteString("hello, world\n")
	check("write", err)
	fmt.Println("wrote", n, "bytes")
	check("close", f.Close())

	// read whole file
	b, err := os.ReadFile(p)
	check("readfile", err)
	fmt.Printf("read back: %q\n", b)

	// seek + partial read + overwrite in place
	f, err = os.OpenFile(p, os.O_RDWR, 0)
	check("open rw", err)
	off, err := f.Seek(7, io.SeekStart)
	check("seek", err)
	buf := make([]byte, 5)
	_, err = io.ReadFull(f, buf)
	check("read at 7", err)
	fmt.Printf("seek to %d, read %q\n", off, buf)
	_, err = f.WriteAt([]byte("WORLD"), 7)
	check("writeat", err)
	end, err := f.Seek(0, io.SeekEnd)
	check("seek end", err)
	fmt.Println("size via seek end:", end)
	check("close", f.Close())

	// append
	f, err = os.OpenFile(p, os.O_APPEND|os.O_WRONLY, 0)
	check("open append", err)
	_, err = f.WriteString("appended line\n")
	check("append", err)
	check("close", f.Close())
	b, _ = os.ReadFile(p)
	fmt.Printf("after append: %q\n", b)

	// stat
	fi, err := os.Stat(p)
	check("stat", err)
	fmt.Printf("stat: name=%s size=%d dir=%v regular=%v\n", fi.Name(), fi.Size(), fi.IsDir(), fi.Mode().IsRegular())

	// truncate
	check("truncate", os.Truncate(p, 5))
	b, _ = os.ReadFile(p)
	fmt.Printf("after truncate: %q\n", b)

	// rename
	q := filepath.Join(dir, "renamed.txt")
	check("rename", os.Rename(p, q))
	_, err = os.Stat(p)
	fmt.Println("old name exists after rename:", !errors.Is(err, fs.ErrNotExist))
	b, _ = os.ReadFile(q)
	fmt.Printf("new name content: %q\n", b)

	// nested directories
	nested := filepath.Join(dir, "a", "b", "c")
	check("mkdirall", os.MkdirAll(nested, 0o755))
	check("write nested", os.WriteFile(filepath.Join(nested, "deep.txt"), []byte("deep"), 0o644))
	var found []string
	check("walk", filepath.WalkDir(filepath.Join(dir, "a"), func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, path)
		if d.IsDir() {
			rel += "/"
		}
		found = append(found, rel)
		return nil
	}))
	sort.Strings(found)
	fmt.Println("walk:", strings.Join(found, " "))
	err = os.Mkdir(filepath.Join(dir, "a"), 0o755)
	fmt.Println("mkdir existing is ErrExist:", errors.Is(err, fs.ErrExist))

	// missing file: error text and errors.Is
	_, err = os.Open(filepath.Join(dir, "missing.txt"))
	// wasip1's syscall table spells it "No such file or directory", Linux
	// "no such file or directory": lower-case it so native and wasm agree.
	fmt.Println("missing:", strings.ToLower(clean(err.Error())))
	fmt.Println("missing is ErrNotExist:", errors.Is(err, fs.ErrNotExist))
	var pe *fs.PathError
	fmt.Println("missing is *PathError:", errors.As(err, &pe), "op="+pe.Op)

	// remove
	check("remove file", os.Remove(q))
	err = os.Remove(filepath.Join(dir, "a"))
	fmt.Println("remove non-empty dir fails:", err != nil)
	check("removeall", os.RemoveAll(filepath.Join(dir, "a")))
	entries, err := os.ReadDir(dir)
	check("readdir", err)
	fmt.Println("entries left:", len(entries))
	fmt.Println("done")
}
