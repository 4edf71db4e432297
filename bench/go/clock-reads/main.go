// clock-reads: N iterations (default 1,000,000) of time.Now() and time.Since(start):
// a wall-clock and monotonic read per Now, a monotonic read per Since.
package main

import (
	"fmt"
	"os"
	"strconv"
	"time"
)

func main() {
	n := 1000000
	if len(os.Args) > 1 {
		n, _ = strconv.Atoi(os.Args[1])
	}
	start := time.Now()
	var last time.Duration
	backwards := 0
	var acc int64
	for i := 0; i < n; i++ {
		t := time.Now()
		d := time.Since(start)
		if d < last {
			backwards++
		}
		last = d
		acc += int64(t.Nanosecond() & 1)
	}
	_ = acc
	fmt.Printf("reads=%d monotonic=%v\n", n, backwards == 0)
}
