// reactor-alloc-print: a reactor without cabi_realloc that allocates 1 MiB
// during package init and 1 MiB more in each call, then prints with fmt.
// Ground truth: with the stock adapter this dies with "out of bounds memory
// access" inside fmt, because the adapter's memory.grow pages are inside what
// Go's runtime believes is its own heap.
package main

import "fmt"

var initBuf = make([]byte, 1<<20)

var keep [][]byte

func init() {
	for i := range initBuf {
		initBuf[i] = byte(i % 251)
	}
}

func sum(b []byte) uint32 {
	var s uint32
	for _, c := range b {
		s += uint32(c)
	}
	return s
}

// run allocates kib KiB, prints a line about it and returns how many
// buffers are now retained.
//
//go:wasmexport run
func run(kib uint32) uint32 {
	buf := make([]byte, int(kib)<<10)
	for i := range buf {
		buf[i] = byte(i % 13)
	}
	keep = append(keep, buf)
	fmt.Printf("call %d: allocated %d KiB, sum=%d, init buffer sum=%d\n", len(keep), kib, sum(buf), sum(initBuf))
	return uint32(len(keep))
}

func main() {}
