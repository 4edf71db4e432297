// stdout-writes: N small unbuffered writes to stdout (default 100,000), one fd_write each.
// The host checks that stdout holds exactly N copies of the 16-byte line.
package main

import (
	"os"
	"strconv"
)

func main() {
	n := 100000
	if len(os.Args) > 1 {
		n, _ = strconv.Atoi(os.Args[1])
	}
	line := []byte("0123456789abcde\n")
	for i := 0; i < n; i++ {
		if _, err := os.Stdout.Write(line); err != nil {
			os.Stderr.WriteString("write: " + err.Error() + "\n")
			os.Exit(1)
		}
	}
}
