// cmd-goroutines: goroutines, channels and sync: WaitGroup, Mutex, RWMutex,
// Once, Cond, atomics, a worker pool, select with default and timeouts,
// context cancellation, and a deep pipeline. Output is deterministic.
package main

import (
	"context"
	"fmt"
	"sort"
	"sync"
	"sync/atomic"
	"time"
)

func main() {
	// WaitGroup + Mutex
	var wg sync.WaitGroup
	var mu sync.Mutex
	sum := 0
	for i := 1; i <= 1000; i++ {
		wg.Add(1)
		go func(n int) {
			defer wg.Done()
			mu.Lock()
			sum += n
			mu.Unlock()
		}(i)
	}
	wg.Wait()
	fmt.Println("1000 goroutines, mutex sum:", sum)

	// atomics
	var counter atomic.Int64
	for i := 0; i < 100; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := 0; j < 100; j++ {
				counter.Add(1)
			}
		}()
	}
	wg.Wait()
	fmt.Println("atomic counter:", counter.Load())

	// worker pool
	jobs := make(chan int, 100)
	results := make(chan [2]int, 100)
	for w := 0; w < 8; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := range jobs {
				results <- [2]int{j, j * j}
			}
		}()
	}
	go func() {
		for i := 0; i < 1000; i++ {
			jobs <- i
		}
		close(jobs)
	}()
	go func() { wg.Wait(); close(results) }()
	squares := 0
	seen := 0
	for r := range results {
		squares += r[1]
		seen++
	}
	fmt.Println("worker pool: jobs", seen, "sum of squares", squares)

	// Once + RWMutex
	var once sync.Once
	inits := 0
	var rw sync.RWMutex
	cache := map[int]int{}
	for i := 0; i < 50; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			once.Do(func() { inits++ })
			rw.Lock()
			cache[i%10] = i % 10
			rw.Unlock()
			rw.RLock()
			_ = cache[0]
			rw.RUnlock()
		}(i)
	}
	wg.Wait()
	fmt.Println("once ran:", inits, "cache size:", len(cache))

	// Cond: wait until all 10 producers have reported
	var cmu sync.Mutex
	cond := sync.NewCond(&cmu)
	ready := 0
	for i := 0; i < 10; i++ {
		go func() {
			cmu.Lock()
			ready++
			cmu.Unlock()
			cond.Broadcast()
		}()
	}
	cmu.Lock()
	for ready < 10 {
		cond.Wait()
	}
	cmu.Unlock()
	fmt.Println("cond: ready", ready)

	// select with default, unbuffered handoff, timeout
	ch := make(chan string)
	select {
	case v := <-ch:
		fmt.Println("unexpected", v)
	default:
		fmt.Println("select default: nothing ready")
	}
	go func() { ch <- "ping" }()
	select {
	case v := <-ch:
		fmt.Println("select received:", v)
	case <-time.After(5 * time.Second):
		fmt.Println("select timed out (wrong)")
	}
	never := make(chan int)
	select {
	case <-never:
	case <-time.After(10 * time.Millisecond):
		fmt.Println("select timeout on idle channel")
	}

	// context cancellation stops a generator
	ctx, cancel := context.WithCancel(context.Background())
	gen := make(chan int)
	done := make(chan struct{})
	go func() {
		defer close(done)
		for i := 0; ; i++ {
			select {
			case gen <- i:
			case <-ctx.Done():
				return
			}
		}
	}()
	got := []int{<-gen, <-gen, <-gen}
	cancel()
	<-done
	fmt.Println("generator values before cancel:", got, "err:", ctx.Err())

	// pipeline of 100 stages
	first := make(chan int)
	in := first
	for i := 0; i < 100; i++ {
		out := make(chan int)
		go func(in <-chan int, out chan<- int) {
			for v := range in {
				out <- v + 1
			}
			close(out)
		}(in, out)
		in = out
	}
	go func() {
		for i := 0; i < 5; i++ {
			first <- i * 1000
		}
		close(first)
	}()
	var outs []int
	for v := range in {
		outs = append(outs, v)
	}
	sort.Ints(outs)
	fmt.Println("pipeline (100 stages):", outs)
}
