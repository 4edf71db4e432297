//go:build !wasip1

package wasihttp

import (
	"log"
	"net/http"
	"os"
)

// Handle serves h (nil: http.DefaultServeMux). Natively it listens on PATCHER_HTTP_ADDR
// (default 127.0.0.1:8080) and does not return, the same handler as the component serves.
func Handle(h http.Handler) {
	if !register(h) {
		log.Fatal(ErrHandleTwice)
	}
	addr := os.Getenv("PATCHER_HTTP_ADDR")
	if addr == "" {
		addr = "127.0.0.1:8080"
	}
	log.Fatal(http.ListenAndServe(addr, handler))
}
