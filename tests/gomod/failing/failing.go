// Package failing has one deliberately failing test, to compare exit status and output with go test.
package failing

// Add is wrong on purpose for 2+2.
func Add(a, b int) int {
	if a == 2 && b == 2 {
		return 5
	}
	return a + b
}
