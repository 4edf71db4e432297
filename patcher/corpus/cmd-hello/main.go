// cmd-hello: the smallest command. fmt to stdout and to stderr, exit 0.
// Checks that _start, fd_write on both streams and a clean exit work.
package main

import (
	"fmt"
	"os"
)

func main() {
	fmt.Println("hello from go on wasip1")
	fmt.Printf("%d + %d = %d\n", 2, 3, 2+3)
	fmt.Printf("%q %v %.3f %x\n", "quoted", []int{1, 2, 3}, 3.14159, 255)
	fmt.Fprintln(os.Stderr, "this line goes to stderr")
	fmt.Println("unicode: héllo wörld ✓")
}
