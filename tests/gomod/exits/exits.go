// Package exits has a TestMain that prints a line and exits with status 3, as a broken test set-up
// does: go test prints no `exit status` line after it (the binary printed something).
package exits
