package main

// cabi_realloc, "pinned" style: the componentize-go pattern. Followed from
// bytecodealliance/componentize-go's Go runtime glue (package wit_runtime:
// Allocate/allocateRaw/cabiRealloc, "an abbreviation of Till's efforts",
// bytecodealliance/go-modules PR #367):
//   - before package init has run, allocate with runtime.sbrk (via
//     go:linkname; needs -ldflags=-checklinkname=0), because the adapter calls
//     cabi_realloc for its stack and State while the runtime is still starting;
//   - after init, allocate GC memory and pin it with a runtime.Pinner, with
//     the adapter's monotonic clock paused around the allocation (wasmtime
//     PR #13563) because the GC reads the clock and imports may not be called
//     from inside cabi_realloc.
// The pins are released when the export that consumed the arguments returns.

import (
	"fmt"
	"runtime"
	"unsafe"
)

//go:linkname sbrk runtime.sbrk
func sbrk(n uintptr) unsafe.Pointer

var useGCAllocations = false

func init() {
	useGCAllocations = true
}

func offset(ptr, align uintptr) uintptr {
	newptr := (ptr + align - 1) &^ (align - 1)
	return newptr - ptr
}

var pinner = runtime.Pinner{}

//go:wasmimport wasi_snapshot_preview1 adapter_monotonic_clock_set_paused
func adapterMonotonicClockSetPaused(paused bool)

func allocate(pinner *runtime.Pinner, size, align uintptr) unsafe.Pointer {
	pointer := allocateRaw(size, align)
	pinner.Pin(pointer)
	return pointer
}

func allocateRaw(size, align uintptr) unsafe.Pointer {
	if size == 0 {
		return nil
	}
	if size%align != 0 {
		panic(fmt.Sprintf("size %v is not compatible with alignment %v", size, align))
	}
	switch align {
	case 1:
		return unsafe.Pointer(unsafe.SliceData(make([]uint8, size)))
	case 2:
		return unsafe.Pointer(unsafe.SliceData(make([]uint16, size/align)))
	case 4:
		return unsafe.Pointer(unsafe.SliceData(make([]uint32, size/align)))
	case 8:
		return unsafe.Pointer(unsafe.SliceData(make([]uint64, size/align)))
	default:
		panic(fmt.Sprintf("unsupported alignment: %v", align))
	}
}

//go:wasmexport cabi_realloc
func cabiRealloc(oldPointer unsafe.Pointer, oldSize, align, newSize uintptr) unsafe.Pointer {
	if oldPointer != nil || oldSize != 0 {
		panic("todo")
	}
	if useGCAllocations {
		adapterMonotonicClockSetPaused(true)
		pointer := allocate(&pinner, newSize, align)
		adapterMonotonicClockSetPaused(false)
		return pointer
	}
	alignedSize := newSize + offset(newSize, align)
	unaligned := sbrk(alignedSize)
	off := offset(uintptr(unaligned), align)
	return unsafe.Add(unaligned, off)
}

// enter and leave bracket every export body.
func enter() { resetResults() }

func leave() { pinner.Unpin() }
