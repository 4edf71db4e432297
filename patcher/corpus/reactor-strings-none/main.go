// reactor-strings-none: exports that RETURN strings, list<string> and
// list<u8> but take only scalars, so the component needs no cabi_realloc
// (realloc="none"): results are lifted by the host straight out of Go memory
// through a return area. The canonical ABI is written by hand in abi.go.
package main

import (
	"fmt"
	"strconv"
	"strings"
)

//go:wasmexport greeting
func greeting(n uint32) uint32 {
	resetResults()
	return lowerString(fmt.Sprintf("hello #%d from go ✓", n))
}

//go:wasmexport numbers
func numbers(n uint32) uint32 {
	resetResults()
	out := make([]string, n)
	for i := range out {
		out[i] = strconv.Itoa(i * i)
	}
	return lowerStrings(out)
}

//go:wasmexport bytes-of
func bytesOf(n uint32) uint32 {
	resetResults()
	b := make([]byte, n)
	for i := range b {
		b[i] = byte(i * 7)
	}
	return lowerBytes(b)
}

//go:wasmexport big-string
func bigString(kib uint32) uint32 {
	resetResults()
	return lowerString(strings.Repeat("0123456789abcdef", int(kib)*64)[:16])
}

//go:wasmexport big-len
func bigLen(kib uint32) uint32 {
	resetResults()
	return uint32(len(strings.Repeat("x", int(kib)*1024)))
}

func main() {}
