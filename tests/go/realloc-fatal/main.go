// A reactor whose cabi_realloc dies while the host lowers a 6,666-byte argument, in each of the
// ways a Go program can: an unrecovered panic, os.Exit, log.Fatal and a runtime throw. None of
// them can print (the host may not be called then): the component must trap in the adapter's
// patcher_noleave_exit_inside_cabi_realloc_output_lost. Mode 5 panics in the export itself,
// outside the window, where the panic message must reach stderr as usual.
package main

import (
	"fmt"
	"log"
	"os"
	"sync"
	"unsafe"
)

var (
	mode uint32
	keep [][]byte
	mu   sync.Mutex
)

//go:wasmexport cabi_realloc
func cabiRealloc(old unsafe.Pointer, oldSize, align, newSize uint32) unsafe.Pointer {
	if newSize == 6666 {
		switch mode {
		case 1:
			panic(fmt.Sprintf("cabi_realloc refuses %d bytes", newSize))
		case 2:
			os.Exit(3)
		case 3:
			log.Fatalf("cabi_realloc: no room for %d bytes", newSize)
		case 4:
			mu.Unlock() // fatal error: sync: unlock of unlocked mutex (a throw, not a panic)
		}
	}
	if align == 0 {
		align = 1
	}
	buf := make([]byte, newSize+align)
	keep = append(keep, buf)
	p := unsafe.Pointer(unsafe.SliceData(buf))
	if pad := uintptr(p) % uintptr(align); pad != 0 {
		p = unsafe.Add(p, uintptr(align)-pad)
	}
	return p
}

//go:wasmexport arm
func arm(m uint32) { mode = m }

//go:wasmexport hello
func hello() { fmt.Println("hello") }

//go:wasmexport work
func work(p unsafe.Pointer, n uint32) uint32 {
	keep = keep[:0]
	if mode == 5 {
		panic(fmt.Sprintf("work got %d bytes", n))
	}
	return n
}

func main() {}
