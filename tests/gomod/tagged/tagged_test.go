//go:build mytag

package tagged

import "testing"

func TestOnlyWithMytag(t *testing.T) {
	t.Errorf("built with mytag: Answer() = %d", Answer())
}
