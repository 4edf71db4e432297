// Package wasihttp serves a net/http Handler as a wasi:http/proxy component and sends
// http.DefaultTransport through wasi:http/outgoing-handler.
//
// Call Handle (or HandleFunc) once, from init() or main(), and build the package with
// `patcher componentize PKG --world wasi:http/proxy -o app.wasm`. Built natively (no GOOS=wasip1),
// Handle serves the same handler with net/http on PATCHER_HTTP_ADDR (default 127.0.0.1:8080),
// so one program runs both ways.
package wasihttp

import (
	"net/http"
	"sync"
)

var (
	mu      sync.Mutex
	handler http.Handler
	twice   bool
)

// ErrHandleTwice is the message a second Handle call gives (stderr, and 500 to every request).
const ErrHandleTwice = "wasihttp: Handle called twice; call it once with the handler that serves every request"

func register(h http.Handler) bool {
	mu.Lock()
	defer mu.Unlock()
	if handler != nil || twice {
		twice = true
		return false
	}
	if h == nil {
		h = http.DefaultServeMux
	}
	handler = h
	return true
}

// HandleFunc is Handle(http.HandlerFunc(f)).
func HandleFunc(f func(http.ResponseWriter, *http.Request)) { Handle(http.HandlerFunc(f)) }
