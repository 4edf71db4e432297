// abi-glue: the world of bench/go/abi-glue/world.wit with the canonical ABI written by hand in
// the style of the old examples/greet glue: cabi_realloc keeps host-written memory reachable in a
// map, arguments are copied into Go values and their blocks released, results are handed to the
// host from Go memory (no copy) and kept reachable until cabi_post_*.
package main

import (
	"strings"
	"unsafe"
)

// Memory handed to the host must stay reachable from Go, or the GC frees it.
var live = map[unsafe.Pointer][]byte{}

//go:wasmexport cabi_realloc
func cabiRealloc(old unsafe.Pointer, oldSize, align, newSize uint32) unsafe.Pointer {
	buf := make([]byte, newSize+align)
	p := unsafe.Pointer(unsafe.SliceData(buf))
	p = unsafe.Add(p, (uintptr(align)-uintptr(p)%uintptr(align))%uintptr(align))
	if old != nil {
		copy(unsafe.Slice((*byte)(p), newSize), unsafe.Slice((*byte)(old), min(oldSize, newSize)))
	}
	live[p] = buf
	return p
}

// liftString copies a host-written string and releases its block.
func liftString(p unsafe.Pointer, n uint32) string {
	if n == 0 {
		return ""
	}
	s := strings.Clone(unsafe.String((*byte)(p), n))
	delete(live, p)
	return s
}

var ret [2]uint32 // return area: {ptr, len}

var upperOut string // the result, reachable until cabi_post_upper

//go:wasmexport upper
func upper(s unsafe.Pointer, n uint32) unsafe.Pointer {
	upperOut = Upper(liftString(s, n))
	ret = [2]uint32{uint32(uintptr(unsafe.Pointer(unsafe.StringData(upperOut)))), uint32(len(upperOut))}
	return unsafe.Pointer(&ret)
}

//go:wasmexport cabi_post_upper
func postUpper(r unsafe.Pointer) { upperOut = "" }

// item in linear memory: id u32 @0, name {ptr, len} @4, score f64 @16, tags {ptr, len} @24; 32 bytes, align 8.
type flatItem struct {
	id         uint32
	name, nlen uint32
	_          uint32
	score      float64
	tags, ntag uint32
}

type flatStr struct{ ptr, len uint32 }

// What the result of rescore holds on to until cabi_post_rescore.
var (
	rescoreItems []Item
	rescoreFlat  []flatItem
	rescoreTags  [][]flatStr
)

//go:wasmexport rescore
func rescore(p unsafe.Pointer, n uint32) unsafe.Pointer {
	items := make([]Item, n)
	if n > 0 {
		flat := unsafe.Slice((*flatItem)(p), n)
		for i := range flat {
			f := &flat[i]
			it := &items[i]
			it.Id, it.Score = f.id, f.score
			it.Name = liftString(unsafe.Pointer(uintptr(f.name)), f.nlen)
			if f.ntag > 0 {
				tp := unsafe.Pointer(uintptr(f.tags))
				tags := unsafe.Slice((*flatStr)(tp), f.ntag)
				it.Tags = make([]string, len(tags))
				for j, t := range tags {
					it.Tags[j] = liftString(unsafe.Pointer(uintptr(t.ptr)), t.len)
				}
				delete(live, tp)
			}
		}
		delete(live, p)
	}
	out := Rescore(items)
	flat := make([]flatItem, len(out))
	tags := make([][]flatStr, len(out))
	for i := range out {
		it := &out[i]
		f := &flat[i]
		f.id, f.score = it.Id, it.Score
		f.name, f.nlen = uint32(uintptr(unsafe.Pointer(unsafe.StringData(it.Name)))), uint32(len(it.Name))
		if len(it.Tags) > 0 {
			ts := make([]flatStr, len(it.Tags))
			for j, t := range it.Tags {
				ts[j] = flatStr{uint32(uintptr(unsafe.Pointer(unsafe.StringData(t)))), uint32(len(t))}
			}
			tags[i] = ts
			f.tags, f.ntag = uint32(uintptr(unsafe.Pointer(unsafe.SliceData(ts)))), uint32(len(ts))
		}
	}
	rescoreItems, rescoreFlat, rescoreTags = out, flat, tags
	ret = [2]uint32{uint32(uintptr(unsafe.Pointer(unsafe.SliceData(flat)))), uint32(len(flat))}
	return unsafe.Pointer(&ret)
}

//go:wasmexport cabi_post_rescore
func postRescore(r unsafe.Pointer) { rescoreItems, rescoreFlat, rescoreTags = nil, nil, nil }

func main() {}
