// reactor-rand-in-pause: a goroutine calls crypto/rand.Read while cabi_realloc
// waits for it, i.e. while the host lowers arguments and the adapter may not
// call the host. The export reports what the goroutine got.
package main

import (
	"crypto/rand"
	"fmt"
	"unsafe"
)

var (
	initDone bool
	keep     [][]byte
	requests = make(chan int)
	tokens   = make(chan []byte)
	got      [][]byte
)

func init() {
	go func() {
		for n := range requests {
			b := make([]byte, n)
			if _, err := rand.Read(b); err != nil {
				panic(err)
			}
			tokens <- b
		}
	}()
	initDone = true
}

//go:wasmexport cabi_realloc
func cabiRealloc(old unsafe.Pointer, oldSize, align, newSize uint32) unsafe.Pointer {
	if initDone {
		requests <- 32
		got = append(got, <-tokens)
	}
	buf, p := goAlloc(old, oldSize, align, newSize)
	keep = append(keep, buf)
	return p
}

var retArea [2]uint32
var result string

//go:wasmexport token
func token(p unsafe.Pointer, n uint32) uint32 {
	distinct := map[string]bool{}
	for _, b := range got {
		distinct[string(b)] = true
	}
	result = fmt.Sprintf("random reads inside cabi_realloc: %d, all distinct: %v", len(got), len(distinct) == len(got))
	keep = keep[:0]
	retArea[0] = uint32(uintptr(unsafe.Pointer(unsafe.StringData(result))))
	retArea[1] = uint32(len(result))
	return uint32(uintptr(unsafe.Pointer(&retArea)))
}

func main() {}
