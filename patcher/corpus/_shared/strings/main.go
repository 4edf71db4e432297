// string, list<string> and list<u8> parameters and results in both
// directions. The canonical ABI is written by hand (_glue/abi.go); the
// cabi_realloc comes from the case's `glue` (naive or pinned; none for
// reactor-strings-none, which has its own copy of this program's exports).
package main

import (
	"slices"
	"strings"
	"unsafe"
)

//go:wasmexport upper
func upper(p unsafe.Pointer, n uint32) uint32 {
	enter()
	defer leave()
	return lowerString(strings.ToUpper(liftString(p, n)))
}

//go:wasmexport concat
func concat(ap unsafe.Pointer, an uint32, bp unsafe.Pointer, bn uint32) uint32 {
	enter()
	defer leave()
	return lowerString(liftString(ap, an) + liftString(bp, bn))
}

//go:wasmexport byte-len
func byteLen(p unsafe.Pointer, n uint32) uint32 {
	enter()
	defer leave()
	return uint32(len(liftString(p, n)))
}

//go:wasmexport repeat
func repeat(p unsafe.Pointer, n uint32, count uint32) uint32 {
	enter()
	defer leave()
	return lowerString(strings.Repeat(liftString(p, n), int(count)))
}

//go:wasmexport reverse-list
func reverseList(p unsafe.Pointer, n uint32) uint32 {
	enter()
	defer leave()
	items := liftStrings(p, n)
	slices.Reverse(items)
	return lowerStrings(items)
}

//go:wasmexport join
func join(p unsafe.Pointer, n uint32, sp unsafe.Pointer, sn uint32) uint32 {
	enter()
	defer leave()
	return lowerString(strings.Join(liftStrings(p, n), liftString(sp, sn)))
}

//go:wasmexport split
func split(p unsafe.Pointer, n uint32, sp unsafe.Pointer, sn uint32) uint32 {
	enter()
	defer leave()
	return lowerStrings(strings.Split(liftString(p, n), liftString(sp, sn)))
}

//go:wasmexport sum-bytes
func sumBytes(p unsafe.Pointer, n uint32) uint32 {
	enter()
	defer leave()
	var s uint32
	for _, b := range liftBytes(p, n) {
		s += uint32(b)
	}
	return s
}

//go:wasmexport reverse-bytes
func reverseBytes(p unsafe.Pointer, n uint32) uint32 {
	enter()
	defer leave()
	b := liftBytes(p, n)
	slices.Reverse(b)
	return lowerBytes(b)
}

func main() {}
