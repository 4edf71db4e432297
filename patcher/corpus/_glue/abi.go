package main

// Canonical ABI lifting and lowering, written by hand (no bindings generator).
//
// Linear memory is 32-bit, so every pointer crosses the boundary as an i32.
//   string, list<u8>  -> two core values (ptr, len)
//   list<string>      -> (ptr, len); ptr points at len records {ptr u32, len u32}, align 4
// A result that needs more than one core value (string, list<...>) is returned
// as a pointer to a "return area" that holds {ptr u32, len u32}. There are no
// cabi_post_* exports, so results stay referenced from `results` until the
// next export call starts.

import "unsafe"

func addr(p unsafe.Pointer) uint32 { return uint32(uintptr(p)) }

// liftString copies a string out of linear memory.
func liftString(p unsafe.Pointer, n uint32) string {
	if n == 0 {
		return ""
	}
	return string(unsafe.Slice((*byte)(p), n))
}

// liftBytes copies a list<u8> out of linear memory.
func liftBytes(p unsafe.Pointer, n uint32) []byte {
	if n == 0 {
		return []byte{}
	}
	return append([]byte(nil), unsafe.Slice((*byte)(p), n)...)
}

// stringRecords views a list<string> as its (ptr, len) records.
func stringRecords(p unsafe.Pointer, n uint32) [][2]uint32 {
	if n == 0 {
		return nil
	}
	return unsafe.Slice((*[2]uint32)(p), n)
}

// liftStrings copies a list<string> out of linear memory.
func liftStrings(p unsafe.Pointer, n uint32) []string {
	recs := stringRecords(p, n)
	out := make([]string, len(recs))
	for i, r := range recs {
		out[i] = liftString(unsafe.Pointer(uintptr(r[0])), r[1])
	}
	return out
}

var (
	retArea [2]uint32 // the return area: {ptr, len}
	results []any     // keeps the memory of the last results alive
)

func resetResults() {
	clear(results)
	results = results[:0]
}

func retPair(p unsafe.Pointer, n int) uint32 {
	retArea[0] = addr(p)
	retArea[1] = uint32(n)
	return addr(unsafe.Pointer(&retArea))
}

func lowerString(s string) uint32 {
	results = append(results, s)
	return retPair(unsafe.Pointer(unsafe.StringData(s)), len(s))
}

func lowerBytes(b []byte) uint32 {
	results = append(results, b)
	return retPair(unsafe.Pointer(unsafe.SliceData(b)), len(b))
}

func lowerStrings(ss []string) uint32 {
	recs := make([][2]uint32, len(ss))
	for i, s := range ss {
		recs[i] = [2]uint32{addr(unsafe.Pointer(unsafe.StringData(s))), uint32(len(s))}
	}
	results = append(results, ss, recs)
	return retPair(unsafe.Pointer(unsafe.SliceData(recs)), len(ss))
}
