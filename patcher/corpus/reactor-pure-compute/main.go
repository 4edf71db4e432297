// reactor-pure-compute: the export library people write first. No fmt, os,
// time or syscall: only runtime and unsafe, so the program never makes a WASI
// call that creates the adapter's State. A plain Go cabi_realloc
// (make([]byte, n)) receives a few thousand 200-byte strings per call; the GC
// (GOGC=5 from the environment) runs inside cabi_realloc and reads the wall clock (gcMarkTermination ->
// time.now) before the State exists.
package main

import "unsafe"

var (
	initDone bool
	inExport bool
	keep     [][]byte
)

func init() { initDone = true }

//go:wasmexport cabi_realloc
func cabiRealloc(old unsafe.Pointer, oldSize, align, newSize uint32) unsafe.Pointer {
	buf, p := goAlloc(old, oldSize, align, newSize)
	keep = append(keep, buf)
	return p
}

// checksum sums the bytes of every string (FNV-style mix, order independent).
//
//go:wasmexport checksum
func checksum(p unsafe.Pointer, n uint32) uint32 {
	recs := unsafe.Slice((*[2]uint32)(p), n)
	var total uint32
	for _, r := range recs {
		s := unsafe.Slice((*byte)(unsafe.Pointer(uintptr(r[0]))), r[1])
		var h uint32 = 2166136261
		for _, c := range s {
			h = (h ^ uint32(c)) * 16777619
		}
		total += h
	}
	clear(keep) // the arguments were read; their buffers may go
	keep = keep[:0]
	return total
}

func main() {}
