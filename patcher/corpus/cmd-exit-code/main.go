// cmd-exit-code: os.Exit(3) after some output. Checks proc_exit with a
// non-zero status, that output written before the exit is not lost, and
// that deferred functions do not run.
package main

import (
	"fmt"
	"os"
)

func main() {
	defer fmt.Println("deferred: must NOT be printed")
	fmt.Println("before exit")
	fmt.Fprintln(os.Stderr, "exiting with status 3")
	os.Exit(3)
}
