package main

import "strings"

// The user code, identical in abi-glue and abi-bindgen: only the canonical ABI around it differs.
// Item is declared by the generated bindings (abi_bindings.go, written by bench/bindgen.py:
// `python -m patcher bindgen --wit world.wit --world abi -o .`).

//go:generate python -m patcher bindgen --wit world.wit --world abi -o .

func Upper(s string) string { return strings.ToUpper(s) }

func Rescore(items []Item) []Item {
	for i := range items {
		items[i].Id++
		items[i].Score *= 2
	}
	return items
}

func main() {}
