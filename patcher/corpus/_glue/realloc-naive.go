package main

// cabi_realloc, "naive" style: plain Go heap memory from make([]byte, n).
// The GC cannot see pointers that live only in the host or in linear memory,
// so every buffer is kept in a package-level slice:
//   - buffers the host asks for while lowering an export's arguments are
//     dropped when that export returns (its arguments were copied by then);
//   - buffers asked for during package init or from inside an export body
//     (for example the adapter's own stack and State) are kept forever.
// Nothing here stops cabi_realloc from being called before the Go runtime is
// initialized; that is the point of this variant.

import "unsafe"

var (
	initDone  bool
	inExport  bool
	transient [][]byte
	permanent [][]byte
)

func init() { initDone = true }

//go:wasmexport cabi_realloc
func cabiRealloc(old unsafe.Pointer, oldSize, align, newSize uint32) unsafe.Pointer {
	buf, p := goAlloc(old, oldSize, align, newSize)
	if initDone && !inExport {
		transient = append(transient, buf)
	} else {
		permanent = append(permanent, buf)
	}
	return p
}

// enter and leave bracket every export body.
func enter() {
	inExport = true
	resetResults()
}

func leave() {
	inExport = false
	clear(transient)
	transient = transient[:0]
}
