// cmd-stdin-echo: copy stdin to stdout with io.Copy, then report byte and
// line counts. Checks fd_read on stdin until EOF through the adapter.
package main

import (
	"bytes"
	"fmt"
	"io"
	"os"
)

func main() {
	var buf bytes.Buffer
	n, err := io.Copy(io.MultiWriter(os.Stdout, &buf), os.Stdin)
	if err != nil {
		fmt.Fprintln(os.Stderr, "copy error:", err)
		os.Exit(1)
	}
	fmt.Printf("\n--\nbytes=%d lines=%d\n", n, bytes.Count(buf.Bytes(), []byte("\n")))
}
