// Package tagged has a test that exists only with -tags=mytag (GOFLAGS=-tags=mytag must reach go).
package tagged

func Answer() int { return 42 }
