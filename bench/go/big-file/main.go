// big-file: N times (default 1) one os.WriteFile of 16 MiB into the directory argv[1] and one
// os.ReadFile of it; the bytes read must equal the bytes written.
package main

import (
	"bytes"
	"fmt"
	"os"
	"strconv"
)

func main() {
	path := os.Args[1] + "/big.bin"
	n := 1
	if len(os.Args) > 2 {
		n, _ = strconv.Atoi(os.Args[2])
	}
	buf := make([]byte, 16<<20)
	for i := range buf {
		buf[i] = byte(i*7 + i>>12)
	}
	for k := 0; k < n; k++ {
		if err := os.WriteFile(path, buf, 0o644); err != nil {
			fmt.Fprintln(os.Stderr, "write:", err)
			os.Exit(1)
		}
		got, err := os.ReadFile(path)
		if err != nil {
			fmt.Fprintln(os.Stderr, "read:", err)
			os.Exit(1)
		}
		if !bytes.Equal(got, buf) {
			fmt.Fprintf(os.Stderr, "read %d bytes, not what was written\n", len(got))
			os.Exit(1)
		}
	}
	fmt.Printf("files=%d bytes=%d equal=true\n", n, len(buf))
}
