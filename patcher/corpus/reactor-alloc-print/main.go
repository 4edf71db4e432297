// reactor-alloc-print: a reactor without cabi_realloc that allocates 1 MiB
// during package init and about 1 MiB per call (as one buffer, or as 16,384
// small 64-byte objects), then prints with fmt. Ground truth: with the stock
// adapter this dies ("out of bounds memory access" inside fmt, or the
// adapter's State assertion), because the pages the adapter got from
// memory.grow lie inside what Go's runtime believes is its own heap. The
// small-object pattern is the one that trips it reliably (Go 1.24-1.27).
package main

import "fmt"

var initBuf = make([]byte, 1<<20)

var (
	bigs   [][]byte
	smalls []*[64]byte
)

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

// alloc-big allocates one buffer of kib KiB, prints a line, and returns how
// many big buffers are retained.
//
//go:wasmexport alloc-big
func allocBig(kib uint32) uint32 {
	buf := make([]byte, int(kib)<<10)
	for i := range buf {
		buf[i] = byte(i % 13)
	}
	bigs = append(bigs, buf)
	fmt.Printf("big %d: %d KiB, sum=%d, init buffer sum=%d\n", len(bigs), kib, sum(buf), sum(initBuf))
	return uint32(len(bigs))
}

// alloc-small allocates kib KiB as 64-byte objects, prints a line, and
// returns how many small objects are retained.
//
//go:wasmexport alloc-small
func allocSmall(kib uint32) uint32 {
	var s uint32
	for i := 0; i < int(kib)*16; i++ {
		x := new([64]byte)
		x[0], x[63] = byte(i), byte(i>>8)
		s += uint32(x[0]) + uint32(x[63])
		smalls = append(smalls, x)
	}
	fmt.Printf("small: %d objects retained, batch sum=%d\n", len(smalls), s)
	return uint32(len(smalls))
}

func main() {}
