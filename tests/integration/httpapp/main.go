// The conformance suite's handler (tests/integration/test_http_conformance.py): the same code
// serves natively (the oracle, net/http's own server) and as a wasi:http/proxy component.
package main

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"html/template"
	"io"
	"net/http"
	"net/url"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"patcher.dev/wasihttp"
)

func writeJSON(w http.ResponseWriter, v any) {
	w.Header().Set("Content-Type", "application/json")
	enc := json.NewEncoder(w)
	enc.SetIndent("", " ")
	_ = enc.Encode(v)
}

var page = template.Must(template.New("page").Parse(`<!doctype html>
<title>{{.Title}}</title>
<ul>{{range .Items}}<li>{{.}}</li>{{end}}</ul>
`))

// echo: what the handler saw of the request.
func echo(w http.ResponseWriter, r *http.Request) {
	h := sha256.New()
	n, err := io.Copy(h, r.Body)
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	names := make([]string, 0, len(r.Header))
	for k := range r.Header {
		if k != "User-Agent" && k != "Accept" && k != "Accept-Encoding" {
			names = append(names, k)
		}
	}
	sort.Strings(names)
	hdr := map[string][]string{}
	for _, k := range names {
		hdr[k] = r.Header[k]
	}
	writeJSON(w, map[string]any{
		"method": r.Method, "requestURI": r.RequestURI, "path": r.URL.Path, "rawPath": r.URL.RawPath, "rawQuery": r.URL.RawQuery,
		"query": r.URL.Query(), "host": r.Host, "headers": hdr, "contentLength": r.ContentLength,
		"transferEncoding": r.TransferEncoding, "bodyBytes": n, "bodySHA256": hex.EncodeToString(h.Sum(nil)), "bodyErr": err != nil,
		"tls": r.TLS != nil, "proto": r.Proto, "heapBounded": ms.HeapSys < 64<<20, // a body streams: memory stays bounded
	})
}

func outboundError(err error) map[string]any {
	var ue *url.Error
	isURL := errors.As(err, &ue)
	timeout := false
	var te interface{ Timeout() bool }
	if errors.As(err, &te) {
		timeout = te.Timeout()
	}
	return map[string]any{"error": true, "urlError": isURL, "timeout": timeout, "deadline": errors.Is(err, context.DeadlineExceeded)}
}

func mux() http.Handler {
	m := http.NewServeMux()
	m.HandleFunc("/hello", func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, "hello, world\n") })
	m.HandleFunc("/echo", echo)
	m.HandleFunc("GET /items/{id}", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, map[string]string{"id": r.PathValue("id")})
	})
	m.HandleFunc("/status/{code}", func(w http.ResponseWriter, r *http.Request) {
		code, _ := strconv.Atoi(r.PathValue("code"))
		w.WriteHeader(code)
		fmt.Fprintf(w, "status %d\n", code)
	})
	m.HandleFunc("/multi", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Add("Set-Cookie", "a=1")
		w.Header().Add("Set-Cookie", "b=2")
		w.Header()["X-Multi"] = []string{"one", "two", "three"}
		w.Header().Set("x-lower-set", "canonical")
		io.WriteString(w, "multi\n")
	})
	m.HandleFunc("/json", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, map[string]any{"ok": true, "n": 42, "list": []string{"a", "b"}, "nested": map[string]int{"x": 1}})
	})
	m.HandleFunc("/template", func(w http.ResponseWriter, r *http.Request) {
		page.Execute(w, map[string]any{"Title": "T <&>", "Items": []string{"one", "<two>", "three"}})
	})
	m.HandleFunc("/big", func(w http.ResponseWriter, r *http.Request) {
		n, _ := strconv.Atoi(r.URL.Query().Get("n"))
		chunk := []byte(strings.Repeat("0123456789", 100))
		for n > 0 {
			k := min(n, len(chunk))
			w.Write(chunk[:k])
			n -= k
		}
	})
	m.HandleFunc("/cl", func(w http.ResponseWriter, r *http.Request) {
		body := strings.Repeat("x", 5000)
		w.Header().Set("Content-Length", strconv.Itoa(len(body)))
		io.WriteString(w, body)
	})
	m.HandleFunc("/sniff", func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, "<html><body>sniffed</body></html>") })
	m.HandleFunc("/sniff-png", func(w http.ResponseWriter, r *http.Request) { w.Write([]byte("\x89PNG\r\n\x1a\n0000")) })
	m.HandleFunc("/empty", func(w http.ResponseWriter, r *http.Request) {})
	m.HandleFunc("/nocontent", func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusNoContent)
		_, err := w.Write([]byte("x"))
		w.Header().Set("X-Late", "ignored") // after the head: not sent
		_ = err
	})
	m.HandleFunc("/notmodified", func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(http.StatusNotModified) })
	m.HandleFunc("/bodynotallowed", func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusNoContent)
		_, err := w.Write([]byte("x"))
		fmt.Println("write after 204:", err) // stdout: not part of the answer
	})
	m.HandleFunc("/superfluous", func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusAccepted)
		w.WriteHeader(http.StatusTeapot)
		io.WriteString(w, "first status wins\n")
	})
	m.HandleFunc("/redirect", func(w http.ResponseWriter, r *http.Request) { http.Redirect(w, r, "/hello", http.StatusFound) })
	m.HandleFunc("/error", func(w http.ResponseWriter, r *http.Request) { http.Error(w, "teapot here", http.StatusTeapot) })
	m.HandleFunc("/form", func(w http.ResponseWriter, r *http.Request) {
		if err := r.ParseForm(); err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		writeJSON(w, r.Form)
	})
	m.HandleFunc("/cookie", func(w http.ResponseWriter, r *http.Request) {
		c, err := r.Cookie("session")
		if err != nil {
			http.Error(w, "no cookie", http.StatusUnauthorized)
			return
		}
		http.SetCookie(w, &http.Cookie{Name: "seen", Value: c.Value, Path: "/", HttpOnly: true})
		io.WriteString(w, "cookie "+c.Value+"\n")
	})
	m.HandleFunc("/forbidden-headers", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Keep-Alive", "timeout=5")
		w.Header().Set("Upgrade", "h2c")
		w.Header().Set("X-Kept", "yes")
		io.WriteString(w, "forbidden headers dropped\n")
	})
	m.HandleFunc("/panic", func(w http.ResponseWriter, r *http.Request) { panic("boom") })
	m.HandleFunc("/flush", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/event-stream")
		fmt.Fprintf(w, "data: first %d\n\n", time.Now().UnixMilli())
		w.(http.Flusher).Flush()
		time.Sleep(200 * time.Millisecond)
		fmt.Fprintf(w, "data: second\n\n")
	})
	m.HandleFunc("/controller-flush", func(w http.ResponseWriter, r *http.Request) {
		rc := http.NewResponseController(w)
		io.WriteString(w, "a")
		if err := rc.Flush(); err != nil {
			io.WriteString(w, "flush error")
		}
		io.WriteString(w, "b")
	})
	m.HandleFunc("/sleep", func(w http.ResponseWriter, r *http.Request) {
		ms, _ := strconv.Atoi(r.URL.Query().Get("ms"))
		time.Sleep(time.Duration(ms) * time.Millisecond)
		io.WriteString(w, "slept\n")
	})
	m.HandleFunc("/ticker-upload", func(w http.ResponseWriter, r *http.Request) {
		// Ticks while the (slowly sent) body is read: waiting on the body lets other goroutines run.
		var mu sync.Mutex
		ticks := 0
		stop := make(chan struct{})
		go func() {
			t := time.NewTicker(20 * time.Millisecond)
			defer t.Stop()
			for {
				select {
				case <-t.C:
					mu.Lock()
					ticks++
					mu.Unlock()
				case <-stop:
					return
				}
			}
		}()
		n, _ := io.Copy(io.Discard, r.Body)
		close(stop)
		mu.Lock()
		defer mu.Unlock()
		writeJSON(w, map[string]any{"bytes": n, "ticked": ticks >= 5})
	})
	m.HandleFunc("/go/get", func(w http.ResponseWriter, r *http.Request) {
		resp, err := http.Get(r.URL.Query().Get("url"))
		if err != nil {
			writeJSON(w, outboundError(err))
			return
		}
		defer resp.Body.Close()
		b, err := io.ReadAll(resp.Body)
		writeJSON(w, map[string]any{"status": resp.StatusCode, "body": string(b), "readErr": err != nil,
			"contentType": resp.Header.Get("Content-Type"), "multi": resp.Header.Values("X-Multi")})
	})
	m.HandleFunc("/go/post", func(w http.ResponseWriter, r *http.Request) {
		// The incoming body streams into the outgoing request.
		resp, err := http.Post(r.URL.Query().Get("url"), "application/octet-stream", r.Body)
		if err != nil {
			writeJSON(w, outboundError(err))
			return
		}
		defer resp.Body.Close()
		w.Header().Set("Content-Type", "application/json")
		io.Copy(w, resp.Body)
	})
	m.HandleFunc("/go/fanout", func(w http.ResponseWriter, r *http.Request) {
		target := r.URL.Query().Get("url")
		start := time.Now()
		var wg sync.WaitGroup
		codes := make([]int, 3)
		errs := make([]string, 3)
		for i := range 3 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				resp, err := http.Get(fmt.Sprintf("%s?i=%d", target, i))
				if err != nil {
					errs[i] = err.Error()
					return
				}
				io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
				codes[i] = resp.StatusCode
			}()
		}
		wg.Wait()
		writeJSON(w, map[string]any{"codes": codes, "errors": errs, "ms": time.Since(start).Milliseconds()})
	})
	m.HandleFunc("/go/timeout", func(w http.ResponseWriter, r *http.Request) {
		c := &http.Client{Timeout: 100 * time.Millisecond}
		resp, err := c.Get(r.URL.Query().Get("url"))
		if err != nil {
			writeJSON(w, outboundError(err))
			return
		}
		resp.Body.Close()
		writeJSON(w, map[string]any{"status": resp.StatusCode})
	})
	m.HandleFunc("/go/ctx", func(w http.ResponseWriter, r *http.Request) {
		ctx, cancel := context.WithTimeout(r.Context(), 100*time.Millisecond)
		defer cancel()
		req, _ := http.NewRequestWithContext(ctx, http.MethodGet, r.URL.Query().Get("url"), nil)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			writeJSON(w, outboundError(err))
			return
		}
		resp.Body.Close()
		writeJSON(w, map[string]any{"status": resp.StatusCode})
	})
	m.HandleFunc("/go/stream", func(w http.ResponseWriter, r *http.Request) {
		// Relays an outbound response chunk by chunk (the reads interleave with the writes).
		resp, err := http.Get(r.URL.Query().Get("url"))
		if err != nil {
			writeJSON(w, outboundError(err))
			return
		}
		defer resp.Body.Close()
		buf := make([]byte, 1024)
		for {
			n, err := resp.Body.Read(buf)
			if n > 0 {
				w.Write(buf[:n])
				w.(http.Flusher).Flush()
			}
			if err != nil {
				break
			}
		}
	})
	return m
}

func main() {
	wasihttp.Handle(mux())
}
