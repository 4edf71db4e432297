// file-reads: N open/read/close cycles (default 10,000) over the small files the host put in
// the preopened directory argv[1] (f000..f099, 64 bytes each). Prints the byte total and a checksum.
package main

import (
	"fmt"
	"os"
	"strconv"
)

func main() {
	dir := os.Args[1]
	n := 10000
	if len(os.Args) > 2 {
		n, _ = strconv.Atoi(os.Args[2])
	}
	names := make([]string, 100)
	for i := range names {
		names[i] = fmt.Sprintf("%s/f%03d", dir, i)
	}
	buf := make([]byte, 256)
	total, sum := 0, uint32(0)
	for i := 0; i < n; i++ {
		f, err := os.Open(names[i%len(names)])
		if err != nil {
			fmt.Fprintln(os.Stderr, "open:", err)
			os.Exit(1)
		}
		k, err := f.Read(buf)
		if err != nil {
			fmt.Fprintln(os.Stderr, "read:", err)
			os.Exit(1)
		}
		for _, b := range buf[:k] {
			sum = sum*31 + uint32(b)
		}
		total += k
		f.Close()
	}
	fmt.Printf("reads=%d bytes=%d sum=%08x\n", n, total, sum)
}
