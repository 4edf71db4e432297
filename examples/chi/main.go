// A chi router (github.com/go-chi/chi/v5) with its own middleware, as a wasi:http/proxy
// component: the code is chi's README example; the only patcher line is wasihttp.Handle.
package main

import (
	"net/http"

	"github.com/go-chi/chi/v5"
	"github.com/go-chi/chi/v5/middleware"

	"patcher.dev/wasihttp"
)

func main() {
	r := chi.NewRouter()
	r.Use(middleware.RequestID)
	r.Use(middleware.Recoverer)
	r.Get("/", func(w http.ResponseWriter, r *http.Request) {
		w.Write([]byte("welcome"))
	})
	r.Route("/articles", func(r chi.Router) {
		r.Get("/{articleID}", func(w http.ResponseWriter, r *http.Request) {
			w.Write([]byte("article " + chi.URLParam(r, "articleID")))
		})
	})
	wasihttp.Handle(r) // instead of http.ListenAndServe(":3000", r)
}
