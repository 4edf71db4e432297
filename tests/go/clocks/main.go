// clocks: what Go needs from the clocks, whichever adapter answers them: the wall clock is the
// host's, the monotonic clock never goes backwards (also across goroutines and sleeps) and agrees
// with sleeps, and the runtime's timers fire. Run with HOST_UNIX_NANO set to the host's time.
package main

import (
	"fmt"
	"os"
	"strconv"
	"sync"
	"time"
)

func main() {
	host, err := strconv.ParseInt(os.Getenv("HOST_UNIX_NANO"), 10, 64)
	diff := time.Now().UnixNano() - host
	fmt.Println("wall clock within 60s of the host's:", err == nil && diff > -60e9 && diff < 60e9)

	start := time.Now()
	var mu sync.Mutex
	var wg sync.WaitGroup
	backwards := 0
	for g := 0; g < 4; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			last, bad := time.Since(start), 0
			for i := 1; i <= 50000; i++ {
				d := time.Since(start)
				if d < last {
					bad++
				}
				last = d
				if i%10000 == 0 {
					time.Sleep(time.Millisecond)
				}
			}
			mu.Lock()
			backwards += bad
			mu.Unlock()
		}()
	}
	wg.Wait()
	fmt.Println("monotonic over 200000 reads in 4 goroutines:", backwards == 0)

	t0 := time.Now()
	time.Sleep(30 * time.Millisecond)
	mono := time.Since(t0)
	wall := time.Now().Round(0).Sub(t0.Round(0)) // Round(0) drops the monotonic reading
	fmt.Println("sleep 30ms, monotonic elapsed >= 30ms:", mono >= 30*time.Millisecond)
	fmt.Println("sleep 30ms, wall elapsed in [20ms, 10s):", wall >= 20*time.Millisecond && wall < 10*time.Second)

	ticker := time.NewTicker(5 * time.Millisecond)
	deadline := time.After(10 * time.Second)
	ticks := 0
	for ticks < 5 {
		select {
		case <-ticker.C:
			ticks++
		case <-deadline:
			fmt.Println("ticker stalled after", ticks, "ticks")
			os.Exit(1)
		}
	}
	ticker.Stop()
	fired := make(chan time.Duration, 1)
	t1 := time.Now()
	time.AfterFunc(10*time.Millisecond, func() { fired <- time.Since(t1) })
	fmt.Println("ticker fired 5 times, AfterFunc after >= 10ms:", <-fired >= 10*time.Millisecond)
}
