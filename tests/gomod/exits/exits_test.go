package exits

import (
	"fmt"
	"os"
	"testing"
)

func TestMain(m *testing.M) {
	fmt.Println("set-up failed: exiting 3")
	os.Exit(3)
}

func TestNeverRuns(t *testing.T) {}
