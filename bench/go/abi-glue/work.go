package main

import "strings"

// The user code, identical in abi-glue and abi-bindgen: only the canonical ABI around it differs.

type Item struct {
	Id    uint32
	Name  string
	Score float64
	Tags  []string
}

func Upper(s string) string { return strings.ToUpper(s) }

func Rescore(items []Item) []Item {
	for i := range items {
		items[i].Id++
		items[i].Score *= 2
	}
	return items
}
