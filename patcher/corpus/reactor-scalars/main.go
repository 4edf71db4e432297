// reactor-scalars: a reactor whose exports take and return only scalars
// (u32, s32, u64, s64, f64, bool) and which does NOT export cabi_realloc.
// The ground truth says this shape already works with the stock adapter,
// so it is the baseline every adapter variant must keep passing.
package main

var calls uint32

//go:wasmexport add
func add(a, b uint32) uint32 {
	calls++
	return a + b
}

//go:wasmexport negate
func negate(x int32) int32 {
	calls++
	return -x
}

//go:wasmexport fib
func fib(n uint32) uint64 {
	calls++
	a, b := uint64(0), uint64(1)
	for i := uint32(0); i < n; i++ {
		a, b = b, a+b
	}
	return a
}

//go:wasmexport mul-wide
func mulWide(a, b int64) int64 {
	calls++
	return a * b
}

//go:wasmexport hypot
func hypot(x, y float64) float64 {
	calls++
	// no math import on purpose: Newton iteration for sqrt
	s := x*x + y*y
	r := s
	if r == 0 {
		return 0
	}
	for i := 0; i < 60; i++ {
		r = (r + s/r) / 2
	}
	return r
}

// is-even returns a WIT bool, which the canonical ABI passes as an i32 0/1.
//
//go:wasmexport is-even
func isEven(x uint32) uint32 {
	calls++
	if x%2 == 0 {
		return 1
	}
	return 0
}

//go:wasmexport call-count
func callCount() uint32 {
	return calls
}

func main() {}
