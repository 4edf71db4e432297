//go:build wasip1

package wasihttp

import (
	"fmt"
	"net/http"
	"os"
	"sort"
	"strings"

	"patcher.dev/wasihttp/internal/proxy"
)

// forbidden: headers wasi:http hosts refuse from guests (hop-by-hop; the host owns them).
var forbidden = map[string]bool{"Connection": true, "Keep-Alive": true, "Proxy-Connection": true, "Transfer-Encoding": true,
	"Upgrade": true, "Host": true, "Http2-Settings": true, "Te": true, "Trailer": true, "Proxy-Authenticate": false}

func fromFields(f proxy.Fields) http.Header {
	h := http.Header{}
	for _, e := range f.Entries() {
		k := http.CanonicalHeaderKey(e.F0)
		h[k] = append(h[k], string(e.F1))
	}
	return h
}

// toFields builds wasi:http fields from h; headers the host forbids are dropped and named on
// stderr in one line (what: "response" or "request").
func toFields(h http.Header, what string) proxy.Fields {
	var list []proxy.Tuple2[proxy.FieldName, proxy.FieldValue]
	var dropped []string
	keys := make([]string, 0, len(h))
	for k := range h {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		if forbidden[http.CanonicalHeaderKey(k)] {
			dropped = append(dropped, k)
			continue
		}
		for _, v := range h[k] {
			list = append(list, proxy.Tuple2[proxy.FieldName, proxy.FieldValue]{F0: strings.ToLower(k), F1: []byte(v)})
		}
	}
	r := proxy.FieldsFromList(list)
	if r.IsErr {
		// One bad header must not lose the rest: add them one by one and drop the refused ones.
		f := proxy.NewFields()
		for _, e := range list {
			if a := f.Append(e.F0, e.F1); a.IsErr {
				dropped = append(dropped, e.F0)
			}
		}
		logDropped(what, dropped)
		return f
	}
	logDropped(what, dropped)
	return r.Ok
}

func logDropped(what string, dropped []string) {
	if len(dropped) > 0 {
		fmt.Fprintf(os.Stderr, "wasihttp: %s headers dropped (wasi:http forbids them): %s\n", what, strings.Join(dropped, ", "))
	}
}

func methodString(m proxy.Method) string {
	switch m.Tag {
	case proxy.MethodGet:
		return http.MethodGet
	case proxy.MethodHead:
		return http.MethodHead
	case proxy.MethodPost:
		return http.MethodPost
	case proxy.MethodPut:
		return http.MethodPut
	case proxy.MethodDelete:
		return http.MethodDelete
	case proxy.MethodConnect:
		return http.MethodConnect
	case proxy.MethodOptions:
		return http.MethodOptions
	case proxy.MethodTrace:
		return http.MethodTrace
	case proxy.MethodPatch:
		return http.MethodPatch
	}
	return m.Other
}

func toMethod(s string) proxy.Method {
	for t := proxy.MethodGet; t < proxy.MethodOther; t++ {
		if methodString(proxy.Method{Tag: t}) == s {
			return proxy.Method{Tag: t}
		}
	}
	return proxy.Method{Tag: proxy.MethodOther, Other: s}
}
