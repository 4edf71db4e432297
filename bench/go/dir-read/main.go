// dir-read: N os.ReadDir calls (default 100) on the directory argv[1], which the host filled
// with 300 entries. Prints the entries per call and a checksum of the names.
package main

import (
	"fmt"
	"os"
	"strconv"
)

func main() {
	dir := os.Args[1]
	n := 100
	if len(os.Args) > 2 {
		n, _ = strconv.Atoi(os.Args[2])
	}
	entries, sum := 0, uint32(0)
	for i := 0; i < n; i++ {
		es, err := os.ReadDir(dir)
		if err != nil {
			fmt.Fprintln(os.Stderr, "readdir:", err)
			os.Exit(1)
		}
		entries = len(es)
		for _, e := range es {
			for _, b := range []byte(e.Name()) {
				sum = sum*31 + uint32(b)
			}
		}
	}
	fmt.Printf("calls=%d entries=%d sum=%08x\n", n, entries, sum)
}
