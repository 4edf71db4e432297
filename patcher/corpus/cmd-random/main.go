// cmd-random: crypto/rand (random_get through the adapter) and math/rand.
// Prints only properties of random bytes, plus outputs of explicitly seeded
// generators (math/rand/v2 PCG and ChaCha8, math/rand v1), which are
// deterministic.
package main

import (
	"bytes"
	crand "crypto/rand"
	"fmt"
	"math/big"
	mrand1 "math/rand"
	"math/rand/v2"
)

func main() {
	a := make([]byte, 32)
	b := make([]byte, 32)
	n, err := crand.Read(a)
	fmt.Println("crypto/rand.Read:", n, err)
	crand.Read(b)
	fmt.Println("32 bytes not all zero:", !bytes.Equal(a, make([]byte, 32)))
	fmt.Println("two reads differ:", !bytes.Equal(a, b))

	big1 := make([]byte, 1<<20)
	crand.Read(big1)
	var hist [256]int
	for _, c := range big1 {
		hist[c]++
	}
	minC, maxC := hist[0], hist[0]
	for _, c := range hist {
		minC = min(minC, c)
		maxC = max(maxC, c)
	}
	fmt.Println("1 MiB of crypto/rand: every byte value within 3200..5000 times:", minC > 3200 && maxC < 5000)

	k, err := crand.Int(crand.Reader, big.NewInt(1000))
	fmt.Println("crypto/rand.Int in [0,1000):", err == nil && k.Sign() >= 0 && k.Cmp(big.NewInt(1000)) < 0)

	// unseeded top-level math/rand/v2 (seeded from the runtime's random source)
	inRange := true
	for i := 0; i < 1000; i++ {
		if v := rand.IntN(10); v < 0 || v >= 10 {
			inRange = false
		}
	}
	fmt.Println("rand.IntN(10) x1000 in range:", inRange)
	p := rand.Perm(10)
	sum := 0
	for _, v := range p {
		sum += v
	}
	fmt.Println("rand.Perm(10) is a permutation:", sum == 45 && len(p) == 10)

	// seeded generators: deterministic on every platform
	pcg := rand.New(rand.NewPCG(1, 2))
	fmt.Println("PCG(1,2):", pcg.Uint64(), pcg.Uint64(), pcg.IntN(1000))
	var seed [32]byte
	copy(seed[:], "chacha8 seed for the corpus test")
	cc := rand.New(rand.NewChaCha8(seed))
	fmt.Println("ChaCha8:", cc.Uint64(), cc.Uint32())
	r1 := mrand1.New(mrand1.NewSource(42))
	fmt.Println("math/rand v1 seed 42:", r1.Intn(100), r1.Intn(100), r1.Int63())
}
