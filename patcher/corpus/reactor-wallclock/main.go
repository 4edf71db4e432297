// reactor-wallclock: clock reads, sleeps and timers INSIDE exported
// functions (not inside cabi_realloc, which this reactor does not have).
// time.Now() reads both the wall and the monotonic clock through the adapter.
// Returns only deterministic facts.
package main

import (
	"fmt"
	"time"
)

//go:wasmexport year-check
func yearCheck() uint32 {
	resetResults()
	return lowerString(fmt.Sprintf("year>=2024: %v", time.Now().Year() >= 2024))
}

//go:wasmexport monotonic-ok
func monotonicOK() uint32 {
	prev := time.Now()
	for i := 0; i < 1000; i++ {
		t := time.Now()
		if t.Before(prev) {
			return 0
		}
		prev = t
	}
	return 1
}

//go:wasmexport sleep-check
func sleepCheck(ms uint32) uint32 {
	resetResults()
	d := time.Duration(ms) * time.Millisecond
	start := time.Now()
	time.Sleep(d)
	return lowerString(fmt.Sprintf("slept>=%dms: %v", ms, time.Since(start) >= d))
}

//go:wasmexport timer-check
func timerCheck() uint32 {
	resetResults()
	done := make(chan string, 1)
	time.AfterFunc(5*time.Millisecond, func() { done <- "afterfunc fired" })
	select {
	case s := <-done:
		return lowerString(s)
	case <-time.After(5 * time.Second):
		return lowerString("timeout")
	}
}

//go:wasmexport unix-utc
func unixUTC(sec uint64) uint32 {
	resetResults()
	return lowerString(time.Unix(int64(sec), 0).UTC().Format(time.RFC3339))
}

func main() {}
