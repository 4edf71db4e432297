// reactor-export-realloc: the allocator is exported as cabi_export_realloc,
// the name wit-component prefers for lowering export arguments (there is no
// cabi_realloc). The GC (GOGC=5 from the environment) runs inside it while
// the host lowers a few thousand strings, and reads the clocks there.
package main

import (
	"fmt"
	"unsafe"
)

var keep [][]byte

//go:wasmexport cabi_export_realloc
func cabiExportRealloc(old unsafe.Pointer, oldSize, align, newSize uint32) unsafe.Pointer {
	buf, p := goAlloc(old, oldSize, align, newSize)
	keep = append(keep, buf)
	return p
}

var retArea [2]uint32
var result string

//go:wasmexport summary
func summary(p unsafe.Pointer, n uint32) uint32 {
	recs := unsafe.Slice((*[2]uint32)(p), n)
	var bytes uint32
	for _, r := range recs {
		bytes += r[1]
	}
	clear(keep)
	keep = keep[:0]
	result = fmt.Sprintf("%d strings, %d bytes", n, bytes)
	retArea[0] = uint32(uintptr(unsafe.Pointer(unsafe.StringData(result))))
	retArea[1] = uint32(len(result))
	return uint32(uintptr(unsafe.Pointer(&retArea)))
}

func main() {}
