// reactor-init: a reactor (-buildmode=c-shared) with one trivial export. The benchmark times
// instantiation plus the runtime's _initialize, not the call.
package main

//go:wasmexport add
func add(a, b uint32) uint32 { return a + b }

func main() {}
