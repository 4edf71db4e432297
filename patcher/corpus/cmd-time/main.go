// cmd-time: wall clock, monotonic clock, Sleep, Ticker, time.After,
// AfterFunc, Timer.Stop/Reset and context deadlines. Prints only facts that
// are deterministic (lower bounds, orderings), never actual times.
package main

import (
	"context"
	"fmt"
	"time"
)

func main() {
	now := time.Now()
	fmt.Println("year>=2024:", now.Year() >= 2024)
	fmt.Println("unix>1.7e9:", now.Unix() > 1_700_000_000)
	fmt.Println("epoch:", time.Unix(0, 0).UTC().Format(time.RFC3339))
	d, _ := time.ParseDuration("1h2m3.5s")
	fmt.Println("parsed duration:", d, d.Milliseconds())

	monotonic := true
	prev := time.Now()
	for i := 0; i < 10000; i++ {
		t := time.Now()
		if t.Before(prev) {
			monotonic = false
		}
		prev = t
	}
	fmt.Println("10000 time.Now() calls non-decreasing:", monotonic)

	start := time.Now()
	time.Sleep(50 * time.Millisecond)
	fmt.Println("sleep elapsed>=50ms:", time.Since(start) >= 50*time.Millisecond)

	start = time.Now()
	tk := time.NewTicker(10 * time.Millisecond)
	ticks := 0
	for range tk.C {
		ticks++
		if ticks == 5 {
			break
		}
	}
	tk.Stop()
	fmt.Println("ticker: 5 ticks, elapsed>=50ms:", time.Since(start) >= 50*time.Millisecond)

	select {
	case <-time.After(20 * time.Millisecond):
		fmt.Println("select: 20ms time.After fired first")
	case <-time.After(2 * time.Second):
		fmt.Println("select: 2s time.After fired first (wrong)")
	}

	fired := make(chan string, 1)
	start = time.Now()
	time.AfterFunc(30*time.Millisecond, func() { fired <- "afterfunc ran" })
	msg := <-fired
	fmt.Println(msg+", elapsed>=30ms:", time.Since(start) >= 30*time.Millisecond)

	t := time.NewTimer(time.Hour)
	fmt.Println("stop pending timer:", t.Stop())
	t.Reset(5 * time.Millisecond)
	<-t.C
	fmt.Println("reset timer fired")

	ctx, cancel := context.WithTimeout(context.Background(), 25*time.Millisecond)
	defer cancel()
	<-ctx.Done()
	fmt.Println("context:", ctx.Err())

	// several concurrent sleepers finish in deadline order
	order := make(chan int, 3)
	for _, ms := range []int{30, 10, 20} {
		go func(ms int) {
			time.Sleep(time.Duration(ms) * time.Millisecond)
			order <- ms
		}(ms)
	}
	fmt.Println("sleepers woke in order:", <-order, <-order, <-order)
}
