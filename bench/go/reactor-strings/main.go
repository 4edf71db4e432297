// reactor-strings: a reactor whose export `upper: func(s: string) -> string` takes and returns
// strings (the benchmark sends 64 KiB), with the canonical ABI written by hand as in
// examples/greet: the host lowers the argument through Go's cabi_realloc.
package main

import (
	"bytes"
	"unsafe"
)

// Memory handed to the host must stay reachable from Go, or the GC frees it.
var live = map[unsafe.Pointer][]byte{}

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

//go:wasmexport upper
func upper(s unsafe.Pointer, n uint32) unsafe.Pointer {
	out := bytes.ToUpper(unsafe.Slice((*byte)(s), n))
	delete(live, s)
	p := unsafe.Pointer(unsafe.SliceData(out))
	live[p] = out
	ret = [2]uint32{uint32(uintptr(p)), uint32(len(out))}
	return unsafe.Pointer(&ret)
}

//go:wasmexport cabi_post_upper
func postUpper(r unsafe.Pointer) {
	delete(live, unsafe.Pointer(uintptr((*[2]uint32)(r)[0])))
}

func main() {}
