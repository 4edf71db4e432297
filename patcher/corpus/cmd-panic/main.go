// cmd-panic: an unrecovered panic in a nested call. Go prints the panic
// message and goroutine trace to stderr and exits with status 2. Also
// checks that a recovered panic earlier in the program is harmless.
package main

import (
	"fmt"
	"os"
)

func safeDiv(a, b int) (q int, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("recovered: %v", r)
		}
	}()
	return a / b, nil
}

func level3(n int) { panic(fmt.Sprintf("deliberate panic: %d", n)) }
func level2(n int) { level3(n * 2) }
func level1(n int) { level2(n + 1) }

func main() {
	q, err := safeDiv(10, 0)
	fmt.Println("safeDiv(10, 0):", q, err)
	fmt.Println("about to panic")
	os.Stdout.Sync()
	level1(20)
	fmt.Println("unreachable")
}
