//go:build wasip1

package wasihttp

import (
	"context"
	"time"

	"patcher.dev/wasihttp/internal/proxy"
)

// await returns when p is ready or ctx is done (ctx.Err()). It never blocks the Go runtime on
// the pollable: it checks readiness and sleeps through Go's scheduler between checks, so other
// goroutines run meanwhile (a sleeping runtime waits in the host's poll on its timer).
func await(ctx context.Context, p proxy.Pollable) error {
	d := 20 * time.Microsecond
	for !p.Ready() {
		if ctx != nil {
			select {
			case <-ctx.Done():
				return ctx.Err()
			case <-time.After(d):
			}
		} else {
			time.Sleep(d)
		}
		if d < time.Millisecond {
			d *= 2
		}
	}
	return nil
}

// awaitDrop is await, then drops the pollable.
func awaitDrop(ctx context.Context, p proxy.Pollable) error {
	defer p.Drop()
	return await(ctx, p)
}
