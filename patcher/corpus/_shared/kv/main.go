// A key-value store that keeps state across calls, with string and
// list<string> parameters and results; 2,000 calls on one instance. Built as
// reactor-kv-naive and reactor-kv-pinned: the case's `glue` picks the
// cabi_realloc (_glue/realloc-naive.go or _glue/realloc-pinned.go).
package main

import (
	"sort"
	"unsafe"
)

var store = map[string]string{}

//go:wasmexport put
func put(kp unsafe.Pointer, kn uint32, vp unsafe.Pointer, vn uint32) uint32 {
	enter()
	defer leave()
	store[liftString(kp, kn)] = liftString(vp, vn)
	return uint32(len(store))
}

//go:wasmexport get
func get(kp unsafe.Pointer, kn uint32) uint32 {
	enter()
	defer leave()
	v, ok := store[liftString(kp, kn)]
	if !ok {
		v = "<missing>"
	}
	return lowerString(v)
}

//go:wasmexport keys
func keys() uint32 {
	enter()
	defer leave()
	ks := make([]string, 0, len(store))
	for k := range store {
		ks = append(ks, k)
	}
	sort.Strings(ks)
	return lowerStrings(ks)
}

//go:wasmexport put-many
func putMany(p unsafe.Pointer, n uint32) uint32 {
	enter()
	defer leave()
	items := liftStrings(p, n)
	for i := 0; i+1 < len(items); i += 2 {
		store[items[i]] = items[i+1]
	}
	return uint32(len(store))
}

//go:wasmexport total-value-bytes
func totalValueBytes() uint64 {
	var n uint64
	for _, v := range store {
		n += uint64(len(v))
	}
	return n
}

func main() {}
