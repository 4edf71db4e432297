// Make Go's GC run INSIDE cabi_realloc: GOGC=10, a background ticker
// goroutine reading time.Now(), and exports whose list<string>/string
// arguments make the host call cabi_realloc ~200,000 times. The GC reads
// nanotime/walltime, and a component may not call imports while the host is
// lowering arguments. Built as reactor-gc-realloc-naive, -pinned (the
// componentize-go cabi_realloc, which pauses only the adapter's monotonic
// clock: wasmtime#14318, componentize-go#77) and reactor-linkname-glue (the
// same glue, built without -ldflags).
package main

import (
	"fmt"
	"runtime"
	"runtime/debug"
	"time"
	"unsafe"
)

var (
	ticks     int
	gcAtStart uint32
)

func init() {
	// Make the GC run often (heap goal = live heap + 10%), and keep a ticker
	// goroutine that reads the clock, so that a GC cycle and timer work are
	// likely to start inside cabi_realloc while the host lowers arguments.
	debug.SetGCPercent(10)
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	gcAtStart = ms.NumGC
	go func() {
		t := time.NewTicker(time.Millisecond)
		for range t.C {
			_ = time.Now()
			ticks++
		}
	}()
}

// ingest receives a list<string>; the host calls cabi_realloc once for the
// list and once per string, and those allocations are (almost) the only ones
// the program makes. The strings are measured in place, not copied.
//
//go:wasmexport ingest
func ingest(p unsafe.Pointer, n uint32) uint32 {
	enter()
	defer leave()
	var total uint32
	for _, r := range stringRecords(p, n) {
		total += r[1]
	}
	return total
}

// ingest-blob receives one big string (a single large cabi_realloc).
//
//go:wasmexport ingest-blob
func ingestBlob(p unsafe.Pointer, n uint32) uint32 {
	enter()
	defer leave()
	s := unsafe.Slice((*byte)(p), n)
	var x uint32
	for _, c := range s {
		x += uint32(c)
	}
	return x
}

// ticker-check lets the ticker goroutine run for a while inside an export.
//
//go:wasmexport ticker-check
func tickerCheck() uint32 {
	enter()
	defer leave()
	before := ticks
	time.Sleep(30 * time.Millisecond)
	return lowerString(fmt.Sprintf("ticker ran during sleep: %v", ticks > before))
}

// gc-check reports whether the GC ran since init.
//
//go:wasmexport gc-check
func gcCheck() uint32 {
	enter()
	defer leave()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	return lowerString(fmt.Sprintf("gc cycles since init>=5: %v", ms.NumGC-gcAtStart >= 5))
}

func main() {}
