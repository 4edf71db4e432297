package failing

import "testing"

func TestAddSmall(t *testing.T) {
	if Add(1, 1) != 2 {
		t.Fatal("1+1")
	}
}

func TestAddBroken(t *testing.T) {
	if got := Add(2, 2); got != 4 {
		t.Errorf("Add(2, 2) = %d, want 4", got)
	}
}
