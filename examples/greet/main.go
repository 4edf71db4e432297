// A Go reactor exporting `greet: func(name: string) -> string`. The canonical ABI glue
// (cabi_realloc, return area, cabi_post_greet) is generated into greeter_bindings.go.
package main

//go:generate python -m patcher bindgen --wit greet.wit --world greeter -o .

// Greet implements the WIT export greet.
func Greet(name string) string {
	return "Hello, " + name + "!"
}

func main() {}
