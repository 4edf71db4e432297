// cmd-args-env: os.Args (including spaces and non-ASCII) and environment
// lookups (set, set-but-empty, unset, os.ExpandEnv). Checks args_get and
// environ_get through the adapter.
package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

func main() {
	fmt.Printf("argc=%d\n", len(os.Args))
	fmt.Printf("argv0 base=%s\n", filepath.Base(os.Args[0]))
	for i, a := range os.Args[1:] {
		fmt.Printf("arg[%d]=%q len=%d\n", i+1, a, len(a))
	}
	fmt.Printf("GREETING=%q\n", os.Getenv("GREETING"))
	v, ok := os.LookupEnv("EMPTY_VAR")
	fmt.Printf("EMPTY_VAR set=%v value=%q\n", ok, v)
	_, ok = os.LookupEnv("SURELY_NOT_SET_12345")
	fmt.Printf("SURELY_NOT_SET_12345 set=%v\n", ok)
	fmt.Println(os.ExpandEnv("expanded: ${GREETING}, ${UNICODE_VAR}!"))
	n := 0
	for _, kv := range os.Environ() {
		if strings.HasPrefix(kv, "GREETING=") || strings.HasPrefix(kv, "EMPTY_VAR=") || strings.HasPrefix(kv, "UNICODE_VAR=") {
			n++
		}
	}
	fmt.Printf("matching entries in os.Environ: %d\n", n)
}
