// reactor-print-in-pause: output written while the host lowers arguments
// (inside cabi_realloc, where the adapter may not call the host) must reach
// stdout even when the export itself never writes afterwards. cabi_realloc
// logs a line and hands work to a goroutine that prints too, then waits for it.
package main

import (
	"fmt"
	"unsafe"
)

var (
	initDone bool
	keep     [][]byte
	calls    int
	jobs     = make(chan int)
	done     = make(chan struct{})
)

func init() {
	go func() {
		for n := range jobs {
			fmt.Printf("goroutine: saw allocation %d while cabi_realloc waited\n", n)
			done <- struct{}{}
		}
	}()
	initDone = true
}

//go:wasmexport cabi_realloc
func cabiRealloc(old unsafe.Pointer, oldSize, align, newSize uint32) unsafe.Pointer {
	if initDone {
		calls++
		fmt.Printf("cabi_realloc: call %d asks for %d bytes\n", calls, newSize)
		jobs <- calls
		<-done
	}
	buf, p := goAlloc(old, oldSize, align, newSize)
	keep = append(keep, buf)
	return p
}

// work writes nothing: whatever cabi_realloc printed must still come out.
//
//go:wasmexport work
func work(p unsafe.Pointer, n uint32) uint32 {
	keep = keep[:0]
	return n
}

func main() {}
