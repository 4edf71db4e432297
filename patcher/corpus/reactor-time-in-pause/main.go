// reactor-time-in-pause: the clocks Go sees inside cabi_realloc (where the
// adapter may not ask the host) against the real ones read outside it.
//   - stamp: cabi_realloc reads the wall clock; the export body then reads the
//     real wall clock. The first must never be later than the second, also
//     after the host idled between calls.
//   - slow: cabi_realloc sleeps 3 s (a timer wait the adapter answers in
//     virtual time); a following 50 ms sleep in the body must take about 50 ms
//     of real (wall) time, not be held until the 3 virtual seconds are repaid.
package main

import (
	"fmt"
	"time"
	"unsafe"
)

var (
	initDone      bool
	keep          [][]byte
	wallInRealloc int64
)

func init() { initDone = true }

//go:wasmexport cabi_realloc
func cabiRealloc(old unsafe.Pointer, oldSize, align, newSize uint32) unsafe.Pointer {
	if initDone {
		wallInRealloc = time.Now().UnixNano()
		if newSize == uint32(len("sleep3s")) {
			time.Sleep(3 * time.Second)
		}
	}
	buf, p := goAlloc(old, oldSize, align, newSize)
	keep = append(keep, buf)
	return p
}

var retArea [2]uint32
var result string

func lowerString(s string) uint32 {
	result = s
	retArea[0] = uint32(uintptr(unsafe.Pointer(unsafe.StringData(s))))
	retArea[1] = uint32(len(s))
	return uint32(uintptr(unsafe.Pointer(&retArea)))
}

//go:wasmexport stamp
func stamp(p unsafe.Pointer, n uint32) uint32 {
	now := time.Now().UnixNano()
	ahead := wallInRealloc - now
	keep = keep[:0]
	return lowerString(fmt.Sprintf("wall clock in cabi_realloc ahead of real: %v", ahead > 0))
}

//go:wasmexport slow
func slow(p unsafe.Pointer, n uint32) uint32 {
	w0 := time.Now().UnixNano()
	time.Sleep(50 * time.Millisecond)
	w1 := time.Now().UnixNano()
	keep = keep[:0]
	return lowerString(fmt.Sprintf("50ms sleep took under 1s of wall time: %v", w1-w0 < int64(time.Second)))
}

func main() {}
