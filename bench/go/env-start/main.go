// env-start: a whole process start with the host's environment (the benchmark passes 200
// variables): prints how many variables Go saw and a checksum of them.
package main

import (
	"fmt"
	"os"
)

func main() {
	env := os.Environ()
	sum := uint32(0)
	for _, kv := range env {
		for _, b := range []byte(kv) {
			sum = sum*31 + uint32(b)
		}
	}
	fmt.Printf("env=%d sum=%08x\n", len(env), sum)
}
