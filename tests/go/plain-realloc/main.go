// A reactor with the cabi_realloc people write first: Go heap memory kept in a package-level
// map. It imports fmt, so syscall's init asks for non-blocking stdio while the runtime starts,
// and the adapter takes its State from this cabi_realloc then, before `live` exists: the write
// to a nil map panics inside the adapter's State allocation. Built plainly (go build
// -buildmode=c-shared, wasm-tools component new --adapt with the go reactor adapter), the
// component must trap in a function naming `patcher componentize` (upstream: `assertion failed
// at adapter line N`); componentize (State pages from memory.grow) runs it.
package main

import (
	"fmt"
	"unsafe"
)

// live keeps every buffer handed to the host reachable.
var live = map[uintptr][]byte{}

//go:wasmexport cabi_realloc
func cabiRealloc(old unsafe.Pointer, oldSize, align, newSize uint32) unsafe.Pointer {
	if align == 0 {
		align = 1
	}
	buf := make([]byte, newSize+align)
	p := unsafe.Pointer(unsafe.SliceData(buf))
	if pad := uintptr(p) % uintptr(align); pad != 0 {
		p = unsafe.Add(p, uintptr(align)-pad)
	}
	live[uintptr(p)] = buf
	return p
}

//go:wasmexport work
func work(p unsafe.Pointer, n uint32) uint32 {
	s := unsafe.String((*byte)(p), n)
	fmt.Printf("work: %d bytes, first %q\n", n, s[:min(len(s), 3)])
	clear(live)
	return n
}

func main() {}
