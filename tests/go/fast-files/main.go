// fast-files: what the `fast` patch changes, checked end to end: a read/write file (one shared
// position across reads, writes and seeks), positional ReadAt/WriteAt, append mode, a write
// larger than 4 KiB, a read after a short file end, fdstat-based calls (Stat, SetNonblock),
// and os.ReadDir (d_ino 0) with Info().
package main

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"sort"
)

func check(err error) {
	if err != nil {
		fmt.Println("error:", err)
		os.Exit(1)
	}
}

func main() {
	dir := os.Args[1]
	f, err := os.OpenFile(dir+"/rw.txt", os.O_RDWR|os.O_CREATE|os.O_TRUNC, 0o644)
	check(err)
	_, err = f.Write([]byte("hello, world"))
	check(err)
	off, err := f.Seek(7, io.SeekStart)
	check(err)
	buf := make([]byte, 16)
	n, err := f.Read(buf)
	check(err)
	fmt.Printf("seek %d read %q\n", off, buf[:n])
	_, err = f.Write([]byte("!")) // at the end, after the read
	check(err)
	_, err = f.WriteAt([]byte("H"), 0)
	check(err)
	n, err = f.ReadAt(buf, 0)
	fmt.Printf("readat %q %v\n", buf[:n], err)
	n, err = f.Read(buf)
	fmt.Printf("read at end %d %v\n", n, err)
	st, err := f.Stat()
	check(err)
	fmt.Printf("size %d mode %v\n", st.Size(), st.Mode().IsRegular())
	check(f.Close())

	a, err := os.OpenFile(dir+"/rw.txt", os.O_WRONLY|os.O_APPEND, 0)
	check(err)
	_, err = a.Write([]byte(" appended"))
	check(err)
	check(a.Close())
	data, err := os.ReadFile(dir + "/rw.txt")
	check(err)
	fmt.Printf("file %q\n", data)

	big := bytes.Repeat([]byte("0123456789abcdef"), 20000) // 320,000 bytes
	check(os.WriteFile(dir+"/big.bin", big, 0o644))
	got, err := os.ReadFile(dir + "/big.bin")
	check(err)
	fmt.Printf("big %d equal %v\n", len(got), bytes.Equal(got, big))

	check(os.Mkdir(dir+"/sub", 0o755))
	for i := 0; i < 5; i++ {
		check(os.WriteFile(fmt.Sprintf("%s/sub/e%d", dir, i), bytes.Repeat([]byte("x"), i), 0o644))
	}
	es, err := os.ReadDir(dir + "/sub")
	check(err)
	var names []string
	for _, e := range es {
		info, err := e.Info()
		check(err)
		names = append(names, fmt.Sprintf("%s:%d", e.Name(), info.Size()))
	}
	sort.Strings(names)
	fmt.Println("readdir", names)
	_, err = os.ReadFile(dir + "/sub") // a directory is not readable as a file
	fmt.Println("read dir as file fails:", err != nil)
}
