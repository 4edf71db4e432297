// A reactor that reports what a pre-initialized instance sees: each randomness source, the
// clocks, timers and goroutines started in init(), environment, arguments and files.
package main

import (
	crand "crypto/rand"
	"encoding/hex"
	"fmt"
	"hash/maphash"
	mrand "math/rand"
	"math/rand/v2"
	"os"
	"strings"
	"sync/atomic"
	"time"
)

//go:generate python -m patcher bindgen --wit probe.wit --world probe -o .

var (
	nonce    string // set with -ldflags=-X main.nonce=... to force a fresh build
	initTime = time.Now()
	initMap  = map[string]int{}
	initEnv  = os.Getenv("PROBE")
	fired    atomic.Bool
	ticks    atomic.Int64
	spins    atomic.Int64
)

func init() {
	for i := 0; i < 1000; i++ {
		initMap[fmt.Sprint("k", i)] = i
	}
	time.AfterFunc(5*time.Millisecond, func() { fired.Store(true) })
	t := time.NewTicker(time.Millisecond)
	go func() {
		for range t.C {
			ticks.Add(1)
		}
	}()
	go func() {
		for {
			spins.Add(1)
			time.Sleep(time.Millisecond)
		}
	}()
}

// Probe implements the WIT export probe.
func Probe(what string) string {
	switch what {
	case "math-rand-v2":
		return fmt.Sprint(rand.Uint64())
	case "math-rand":
		return fmt.Sprint(mrand.Int63())
	case "map-order":
		m := map[int]bool{}
		for i := 0; i < 64; i++ {
			m[i] = true
		}
		var b strings.Builder
		for k := range m {
			fmt.Fprint(&b, k, ",")
		}
		return b.String()
	case "maphash":
		return fmt.Sprint(maphash.String(maphash.MakeSeed(), "x"))
	case "crypto-rand":
		b := make([]byte, 16)
		if _, err := crand.Read(b); err != nil {
			return "error: " + err.Error()
		}
		return hex.EncodeToString(b)
	case "since-init":
		return fmt.Sprint(time.Since(initTime).Nanoseconds())
	case "wall":
		return fmt.Sprint(time.Now().UnixNano())
	case "timers":
		time.Sleep(30 * time.Millisecond)
		return fmt.Sprint(fired.Load(), " ", ticks.Load() > 0, " ", spins.Load() > 1)
	case "init-map":
		for i := 0; i < 1000; i++ {
			if initMap[fmt.Sprint("k", i)] != i {
				return "broken"
			}
		}
		return fmt.Sprint(len(initMap))
	case "env":
		return fmt.Sprintf("%q %q %q %d", os.Getenv("PROBE"), initEnv, os.Args, len(os.Environ()))
	case "file":
		b, err := os.ReadFile("/data/hello.txt")
		if err != nil {
			return "error: " + err.Error()
		}
		return string(b)
	case "nonce":
		return nonce
	}
	return "unknown probe " + what
}

func main() {}
