// A small service as a wasi:http/proxy component: a JSON API, a template page and one outbound
// call. `patcher serve examples/http` builds and serves it; built natively (`go run .`) the same
// code serves with net/http on PATCHER_HTTP_ADDR.
package main

import (
	"embed"
	"encoding/json"
	"html/template"
	"io"
	"net/http"
	"sort"
	"sync"
	"time"

	"patcher.dev/wasihttp"
)

//go:embed templates/*.html
var files embed.FS

var page = template.Must(template.ParseFS(files, "templates/index.html"))

type Item struct {
	ID    string  `json:"id"`
	Name  string  `json:"name"`
	Price float64 `json:"price"`
}

var (
	mu    sync.Mutex
	items = map[string]Item{"1": {"1", "teapot", 12.5}, "2": {"2", "kettle", 30}}
)

func list() []Item {
	mu.Lock()
	defer mu.Unlock()
	out := make([]Item, 0, len(items))
	for _, it := range items {
		out = append(out, it)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out
}

func writeJSON(w http.ResponseWriter, code int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(code)
	json.NewEncoder(w).Encode(v)
}

func logged(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		next.ServeHTTP(w, r)
		w.Header().Set("X-Elapsed", time.Since(start).String()) // after the head: for the log only
	})
}

func routes() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /{$}", func(w http.ResponseWriter, r *http.Request) {
		page.Execute(w, map[string]any{"Items": list(), "Now": time.Now().UTC().Format(time.RFC3339)})
	})
	mux.HandleFunc("GET /api/items", func(w http.ResponseWriter, r *http.Request) { writeJSON(w, http.StatusOK, list()) })
	mux.HandleFunc("GET /api/items/{id}", func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		it, ok := items[r.PathValue("id")]
		mu.Unlock()
		if !ok {
			writeJSON(w, http.StatusNotFound, map[string]string{"error": "no such item"})
			return
		}
		writeJSON(w, http.StatusOK, it)
	})
	mux.HandleFunc("POST /api/items", func(w http.ResponseWriter, r *http.Request) {
		var it Item
		if err := json.NewDecoder(r.Body).Decode(&it); err != nil || it.ID == "" {
			writeJSON(w, http.StatusBadRequest, map[string]string{"error": "want {\"id\", \"name\", \"price\"}"})
			return
		}
		mu.Lock()
		items[it.ID] = it
		mu.Unlock()
		writeJSON(w, http.StatusCreated, it)
	})
	// One outbound call: fetch ?url= through wasi:http/outgoing-handler (http.Get as usual).
	mux.HandleFunc("GET /api/fetch", func(w http.ResponseWriter, r *http.Request) {
		c := &http.Client{Timeout: 5 * time.Second}
		resp, err := c.Get(r.URL.Query().Get("url"))
		if err != nil {
			writeJSON(w, http.StatusBadGateway, map[string]string{"error": err.Error()})
			return
		}
		defer resp.Body.Close()
		body, _ := io.ReadAll(io.LimitReader(resp.Body, 1<<10))
		writeJSON(w, http.StatusOK, map[string]any{"status": resp.StatusCode, "body": string(body)})
	})
	return logged(mux)
}

func init() {
	wasihttp.Handle(routes())
}

func main() {}
