// cmd-gc-churn: allocate more than 500 MiB in total while keeping a live heap
// above 100 MiB, so the heap grows well past the initial linear memory and
// the GC runs many cycles. Prints MemStats-derived facts and a checksum of
// the retained data (which must survive every GC cycle intact).
package main

import (
	"fmt"
	"hash/fnv"
	"runtime"
)

const (
	liveChunks = 112     // 112 x 1 MiB kept alive
	chunkSize  = 1 << 20 // 1 MiB
)

func fill(b []byte, seed int) {
	x := uint32(seed)*2654435761 + 1
	for i := range b {
		x ^= x << 13
		x ^= x >> 17
		x ^= x << 5
		b[i] = byte(x)
	}
}

func main() {
	var before runtime.MemStats
	runtime.ReadMemStats(&before)

	live := make([][]byte, liveChunks)
	var sink [][]byte
	garbageBytes := 0
	for i := 0; i < liveChunks; i++ {
		live[i] = make([]byte, chunkSize)
		fill(live[i], i)
		// garbage of mixed sizes between live allocations
		for j := 0; j < 32; j++ {
			g := make([]byte, 4096+(i*7919+j*104729)%(256<<10))
			g[0] = byte(j)
			sink = append(sink, g)
			garbageBytes += len(g)
			if len(sink) > 64 {
				sink = sink[:0]
			}
		}
	}
	// more churn with many small pointerful objects
	type node struct {
		next *node
		val  [6]int64
	}
	var head *node
	for i := 0; i < 2_000_000; i++ {
		n := &node{next: head}
		n.val[0] = int64(i)
		head = n
		if i%1000 == 999 {
			head = nil
		}
	}
	garbageBytes += 2_000_000 * 56

	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	h := fnv.New64a()
	intact := true
	for i, b := range live {
		h.Write(b)
		want := make([]byte, 64)
		fill(want, i)
		if string(b[:64]) != string(want) {
			intact = false
		}
	}
	total := ms.TotalAlloc - before.TotalAlloc
	fmt.Println("live chunks:", len(live), "x 1 MiB")
	fmt.Println("garbage bytes>=400MiB:", garbageBytes >= 400<<20)
	fmt.Println("TotalAlloc>=500MiB:", total >= 500<<20)
	fmt.Println("HeapAlloc>100MiB:", ms.HeapAlloc > 100<<20)
	fmt.Println("HeapSys>100MiB:", ms.HeapSys > 100<<20)
	fmt.Println("NumGC>=3:", ms.NumGC-before.NumGC >= 3)
	fmt.Println("retained data intact:", intact)
	fmt.Printf("fnv64a(live)=%016x\n", h.Sum64())
	runtime.KeepAlive(sink)
}
