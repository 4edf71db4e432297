// goroutines: pure scheduler work with almost no WASI calls: N ping-pong round trips over
// unbuffered channels (default 200,000) and a worker pool summing squares. Deterministic output.
package main

import (
	"fmt"
	"os"
	"strconv"
	"sync"
)

func main() {
	n := 200000
	if len(os.Args) > 1 {
		n, _ = strconv.Atoi(os.Args[1])
	}
	ping, pong := make(chan int), make(chan int)
	go func() {
		for v := range ping {
			pong <- v + 1
		}
		close(pong)
	}()
	v := 0
	for i := 0; i < n; i++ {
		ping <- v
		v = <-pong
	}
	close(ping)

	jobs := make(chan int, 64)
	var mu sync.Mutex
	var wg sync.WaitGroup
	var squares uint64
	for w := 0; w < 8; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := range jobs {
				mu.Lock()
				squares += uint64(j) * uint64(j)
				mu.Unlock()
			}
		}()
	}
	for i := 0; i < n; i++ {
		jobs <- i
	}
	close(jobs)
	wg.Wait()
	fmt.Printf("pingpong=%d squares=%d\n", v, squares)
}
