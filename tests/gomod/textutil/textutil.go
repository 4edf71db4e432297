// Package textutil is a small package whose tests exercise what go_wasip1_wasm_exec provides:
// files under testdata/ (found through PWD), TestMain, subtests and the test timeout.
package textutil

import "strings"

// Reverse returns s with its runes in reverse order.
func Reverse(s string) string {
	r := []rune(s)
	for i, j := 0, len(r)-1; i < j; i, j = i+1, j-1 {
		r[i], r[j] = r[j], r[i]
	}
	return string(r)
}

// Words counts the whitespace-separated words in s.
func Words(s string) int { return len(strings.Fields(s)) }
