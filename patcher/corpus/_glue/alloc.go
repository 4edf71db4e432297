package main

import "unsafe"

// goAlloc is the body every Go-heap cabi_realloc in the corpus shares: an
// aligned buffer from make([]byte), with the old contents copied over. The
// caller keeps `buf` reachable for as long as the host may use `p` (the GC
// cannot see pointers held by the host).
func goAlloc(old unsafe.Pointer, oldSize, align, newSize uint32) (buf []byte, p unsafe.Pointer) {
	if align == 0 {
		align = 1
	}
	buf = make([]byte, max(newSize, 1)+align-1)
	p = unsafe.Pointer(unsafe.SliceData(buf))
	if pad := uintptr(p) % uintptr(align); pad != 0 {
		p = unsafe.Add(p, uintptr(align)-pad)
	}
	if old != nil && oldSize > 0 {
		copy(unsafe.Slice((*byte)(p), newSize), unsafe.Slice((*byte)(old), min(oldSize, newSize)))
	}
	return buf, p
}
