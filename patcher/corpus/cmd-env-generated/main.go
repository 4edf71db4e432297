// cmd-env-generated: 1,000 generated environment variables with 2,000-byte
// values (about 2 MiB of environment). Checks that environ_sizes_get /
// environ_get through the adapter hand every byte to Go's runtime.
package main

import (
	"crypto/sha256"
	"fmt"
	"os"
	"sort"
	"strings"
)

func main() {
	var gen []string
	for _, kv := range os.Environ() {
		if strings.HasPrefix(kv, "GEN_") {
			gen = append(gen, kv)
		}
	}
	sort.Strings(gen)
	fmt.Printf("GEN_ variables: %d\n", len(gen))
	allGood := true
	total := 0
	for _, kv := range gen {
		k, v, _ := strings.Cut(kv, "=")
		total += len(v)
		if len(k) != 8 || len(v) != 2000 || strings.Trim(v, "x") != "" {
			allGood = false
		}
	}
	fmt.Printf("all values are 2000 x's: %v\n", allGood)
	fmt.Printf("total value bytes: %d\n", total)
	fmt.Printf("first=%s last=%s\n", keyOf(gen, 0), keyOf(gen, len(gen)-1))
	fmt.Printf("len(Getenv(GEN_0500))=%d\n", len(os.Getenv("GEN_0500")))
	h := sha256.New()
	for _, kv := range gen {
		h.Write([]byte(kv))
		h.Write([]byte{'\n'})
	}
	fmt.Printf("sha256=%x\n", h.Sum(nil))
}

func keyOf(list []string, i int) string {
	if i < 0 || i >= len(list) {
		return "<none>"
	}
	k, _, _ := strings.Cut(list[i], "=")
	return k
}
