// A Go reactor exporting `greet: func(name: string) -> string`, with the canonical ABI
// written by hand: a string arrives as (ptr, len); a string result is returned through
// a pointer to a two-word return area.
package main

import (
	"strings"
	"unsafe"
)

// Memory handed to the host must stay reachable from Go, or the GC frees it.
var live = map[unsafe.Pointer][]byte{}

// cabi_realloc gives the host memory to write arguments into.
//
//go:wasmexport cabi_realloc
func cabiRealloc(old unsafe.Pointer, oldSize, align, newSize uint32) unsafe.Pointer {
	buf := make([]byte, newSize+align)
	p := unsafe.Pointer(unsafe.SliceData(buf))
	p = unsafe.Add(p, (uintptr(align)-uintptr(p)%uintptr(align))%uintptr(align))
	if old != nil {
		copy(unsafe.Slice((*byte)(p), newSize), unsafe.Slice((*byte)(old), min(oldSize, newSize)))
	}
	live[p] = buf
	return p
}

var ret [2]uint32 // return area: {ptr, len}

//go:wasmexport greet
func greet(name unsafe.Pointer, n uint32) unsafe.Pointer {
	in := strings.Clone(unsafe.String((*byte)(name), n))
	delete(live, name) // the argument was copied
	out := []byte("Hello, " + in + "!")
	p := unsafe.Pointer(unsafe.SliceData(out))
	live[p] = out
	ret = [2]uint32{uint32(uintptr(p)), uint32(len(out))}
	return unsafe.Pointer(&ret)
}

// cabi_post_greet runs after the host has copied the result.
//
//go:wasmexport cabi_post_greet
func postGreet(r unsafe.Pointer) {
	delete(live, unsafe.Pointer(uintptr((*[2]uint32)(r)[0])))
}

func main() {}
