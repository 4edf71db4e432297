// reactor-calls-1000: thousands of calls into ONE instance (no cabi_realloc).
// Each call allocates a little garbage and returns a scalar or a string, so
// over the run the GC runs inside exports and the adapter is entered many
// times; a state counter checks nothing was lost between calls.
package main

import "fmt"

var calls uint32

//go:wasmexport square
func square(x uint32) uint32 {
	calls++
	tmp := make([]uint32, 256) // garbage on every call
	tmp[x%256] = x * x
	return tmp[x%256]
}

//go:wasmexport hello
func hello(n uint32) uint32 {
	calls++
	resetResults()
	return lowerString(fmt.Sprintf("hello %d, call %s", n, "ok"))
}

//go:wasmexport total-calls
func totalCalls() uint32 {
	return calls
}

func main() {}
