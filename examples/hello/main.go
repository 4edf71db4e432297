// A plain Go command: becomes a wasi:cli/command component.
package main

import (
	"fmt"
	"os"
)

func main() {
	name := "world"
	if len(os.Args) > 1 {
		name = os.Args[1]
	}
	fmt.Printf("hello, %s, from a Go component\n", name)
}
