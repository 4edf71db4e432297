//go:build wasip1

package wasihttp

import (
	"context"
	"crypto/tls"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"runtime/debug"
	"strconv"
	"strings"
	_ "unsafe" // go:linkname

	"patcher.dev/wasihttp/internal/proxy"
)

// Handle serves h (nil: http.DefaultServeMux) for every request the host sends to this
// component. Call it once, from init() or main().
func Handle(h http.Handler) {
	register(h) // a second call is reported by every request (500 and one stderr line)
	select {
	case handlerSet <- struct{}{}:
	default:
	}
}

//go:linkname mainMain main.main
func mainMain()

var (
	handlerSet = make(chan struct{}, 1)
	mainState  int // 0: main not run, 1: running, 2: returned
)

func init() {
	proxy.Serve = serve
	http.DefaultTransport = &Transport{}
}

// current: the handler to use, running main() once when init() registered none (a reactor's
// main is not run by the Go runtime).
func current() (http.Handler, string) {
	mu.Lock()
	h, tw := handler, twice
	mu.Unlock()
	if tw {
		return nil, ErrHandleTwice
	}
	if h == nil && mainState == 0 {
		mainState = 1
		mainDone := make(chan struct{})
		go func() {
			mainMain()
			close(mainDone)
		}()
		select {
		case <-handlerSet:
		case <-mainDone:
		}
		mainState = 2
		return current()
	}
	if h == nil {
		return nil, "wasihttp: no handler: call wasihttp.Handle(h) from init() or main()"
	}
	return h, ""
}

func serve(req proxy.IncomingRequest, out proxy.ResponseOutparam) {
	defer req.Drop()
	h, problem := current()
	if h == nil {
		fmt.Fprintln(os.Stderr, problem)
		sendPlain(out, http.StatusInternalServerError, problem+"\n")
		return
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	r, err := toRequest(ctx, req)
	if err != nil {
		sendPlain(out, http.StatusBadRequest, err.Error()+"\n")
		return
	}
	w := &responseWriter{ctx: ctx, out: out, header: http.Header{}, req: r}
	defer func() {
		if body, ok := r.Body.(*bodyReader); ok {
			body.Close()
		}
	}()
	defer func() {
		if p := recover(); p != nil {
			if p == http.ErrAbortHandler {
				w.abort()
				return
			}
			fmt.Fprintf(os.Stderr, "wasihttp: panic serving %s %s: %v\n%s", r.Method, r.URL.RequestURI(), p, debug.Stack())
			if !w.sent {
				sendPlain(out, http.StatusInternalServerError, "Internal Server Error\n")
				w.out = proxy.ResponseOutparam{}
				w.sent, w.failed = true, true
			}
			w.abort()
			return
		}
		w.finish()
	}()
	h.ServeHTTP(w, r)
}

func toRequest(ctx context.Context, req proxy.IncomingRequest) (*http.Request, error) {
	method := methodString(req.Method())
	uri := "/"
	if p := req.PathWithQuery(); p.Some && p.Value != "" {
		uri = p.Value
	}
	u, err := url.ParseRequestURI(uri)
	if err != nil {
		return nil, fmt.Errorf("bad request URI %q: %v", uri, err)
	}
	hf := req.Headers()
	header := fromFields(hf)
	hf.Drop()
	r := &http.Request{Method: method, URL: u, Proto: "HTTP/1.1", ProtoMajor: 1, ProtoMinor: 1, Header: header, RequestURI: uri}
	if a := req.Authority(); a.Some && a.Value != "" {
		r.Host = a.Value
	} else {
		r.Host = header.Get("Host")
	}
	delete(header, "Host")
	if s := req.Scheme(); s.Some && s.Value.Tag == proxy.SchemeHTTPS {
		r.TLS = &tls.ConnectionState{}
	}
	if te := header["Transfer-Encoding"]; len(te) > 0 {
		r.TransferEncoding = te
		delete(header, "Transfer-Encoding")
	}
	r.ContentLength = 0
	if cl := header.Get("Content-Length"); cl != "" {
		n, err := strconv.ParseInt(strings.TrimSpace(cl), 10, 64)
		if err != nil || n < 0 {
			return nil, fmt.Errorf("bad Content-Length %q", cl)
		}
		r.ContentLength = n
	} else if len(r.TransferEncoding) > 0 {
		r.ContentLength = -1
	}
	b := req.Consume()
	if b.IsErr {
		return nil, fmt.Errorf("request body already consumed")
	}
	br, err := newBodyReader(ctx, b.Ok)
	if err != nil {
		return nil, err
	}
	if r.ContentLength > 0 {
		r.Body = br
		return r.WithContext(ctx), nil
	}
	// Hosts keep Transfer-Encoding to themselves, so without a Content-Length only the stream
	// says whether a body follows: it ends at once for a bodiless request (net/http's NoBody),
	// else the first bytes arrive and the body is chunked as net/http would show it.
	first, err := br.first()
	if err == io.EOF && len(first) == 0 {
		br.Close()
		r.Body, r.ContentLength = http.NoBody, 0
	} else {
		br.pending = first
		r.Body, r.ContentLength = br, -1
		if len(r.TransferEncoding) == 0 {
			r.TransferEncoding = []string{"chunked"}
		}
	}
	return r.WithContext(ctx), nil
}

func sendPlain(out proxy.ResponseOutparam, code int, msg string) {
	h := http.Header{"Content-Type": {"text/plain; charset=utf-8"}, "X-Content-Type-Options": {"nosniff"},
		"Content-Length": {strconv.Itoa(len(msg))}}
	resp := proxy.NewOutgoingResponse(toFields(h, "response"))
	resp.SetStatusCode(uint16(code))
	body := resp.Body().Ok
	proxy.ResponseOutparamSet(out, proxy.Ok[proxy.OutgoingResponse, proxy.ErrorCode](resp))
	s := body.Write().Ok
	_ = writeAll(context.Background(), s, []byte(msg))
	_ = flush(context.Background(), s)
	s.Drop()
	proxy.OutgoingBodyFinish(body, proxy.None[proxy.Trailers]())
}

// bufferBeforeChunking matches net/http's: a body that fits gets a Content-Length.
const bufferBeforeChunking = 2048

type responseWriter struct {
	ctx      context.Context
	out      proxy.ResponseOutparam
	req      *http.Request
	header   http.Header
	snapshot http.Header // Header() at WriteHeader: what the head sends
	status   int
	wrote    bool // WriteHeader happened (status fixed)
	sent     bool // the response head went to the host
	failed   bool
	pending  []byte
	body     proxy.OutgoingBody
	stream   proxy.OutputStream
	written  int64
	err      error
	trailer  []string // names declared in the Trailer header when the head was sent
}

func (w *responseWriter) Header() http.Header { return w.header }

func bodyAllowed(code int) bool {
	return !(code >= 100 && code <= 199 || code == 204 || code == 304)
}

func (w *responseWriter) WriteHeader(code int) {
	if w.wrote {
		fmt.Fprintf(os.Stderr, "wasihttp: superfluous response.WriteHeader call (status %d)\n", code)
		return
	}
	defer func() {
		// As net/http: the head is what Header() held at WriteHeader; later changes are not sent
		// (but Trailer-declared and TrailerPrefix keys are read again when the body ends).
		if w.wrote {
			w.snapshot = w.header.Clone()
		}
	}()
	if code < 100 || code > 999 {
		panic(fmt.Sprintf("invalid WriteHeader code %v", code))
	}
	if code >= 100 && code <= 199 && code != 101 {
		return // informational responses: wasi:http has no way to send them
	}
	w.wrote, w.status = true, code
}

func (w *responseWriter) Write(p []byte) (int, error) {
	if !w.wrote {
		w.WriteHeader(http.StatusOK)
	}
	if !bodyAllowed(w.status) {
		return 0, http.ErrBodyNotAllowed
	}
	if w.err != nil {
		return 0, w.err
	}
	w.written += int64(len(p))
	if !w.sent {
		if len(w.pending)+len(p) <= bufferBeforeChunking {
			w.pending = append(w.pending, p...)
			return len(p), nil
		}
		if err := w.sendPending(p); err != nil {
			return 0, err
		}
	}
	if err := w.writeBody(p); err != nil {
		return 0, err
	}
	return len(p), nil
}

func (w *responseWriter) WriteString(s string) (int, error) { return w.Write([]byte(s)) }

// sendPending sends the head (sniffing from what is buffered plus next) and the buffered bytes.
func (w *responseWriter) sendPending(next []byte) error {
	sniff := w.pending
	if len(sniff) < 512 && len(next) > 0 {
		sniff = append(append([]byte{}, sniff...), next[:min(len(next), 512-len(sniff))]...)
	}
	w.sendHead(sniff, false)
	p := w.pending
	w.pending = nil
	return w.writeBody(p)
}

func (w *responseWriter) writeBody(p []byte) error {
	if w.err != nil {
		return w.err
	}
	if w.req.Method == http.MethodHead || len(p) == 0 {
		return nil
	}
	w.err = writeAll(w.ctx, w.stream, p)
	return w.err
}

// Flush sends the head and everything written so far to the client.
func (w *responseWriter) Flush() {
	_ = w.FlushError()
}

// FlushError is Flush with the error (http.ResponseController uses it).
func (w *responseWriter) FlushError() error {
	if !w.wrote {
		w.WriteHeader(http.StatusOK)
	}
	if !w.sent {
		if err := w.sendPending(nil); err != nil {
			return err
		}
	}
	if w.err == nil {
		w.err = flush(w.ctx, w.stream)
	}
	return w.err
}

// sendHead sends status and headers the way net/http's chunkWriter.writeHeader does: p is the
// first body bytes (for Content-Type sniffing), done says the handler has returned (so a body
// that fits in the buffer gets a Content-Length).
func (w *responseWriter) sendHead(p []byte, done bool) {
	w.sent = true
	h := w.snapshot
	if h == nil {
		h = w.header.Clone()
	}
	if !bodyAllowed(w.status) {
		delete(h, "Content-Length")
		delete(h, "Content-Type")
		delete(h, "Transfer-Encoding")
	} else {
		if _, haveType := h["Content-Type"]; !haveType && len(p) > 0 && h.Get("Transfer-Encoding") == "" {
			h.Set("Content-Type", http.DetectContentType(p))
		}
		if done && h.Get("Content-Length") == "" && h.Get("Transfer-Encoding") == "" && len(w.trailerNames(h)) == 0 &&
			(w.req.Method != http.MethodHead || len(p) > 0) {
			h.Set("Content-Length", strconv.Itoa(len(p)))
		}
	}
	w.trailer = w.trailerNames(h)
	delete(h, "Trailer")
	for k := range h {
		if strings.HasPrefix(k, http.TrailerPrefix) {
			delete(h, k)
		}
	}
	resp := proxy.NewOutgoingResponse(toFields(h, "response"))
	resp.SetStatusCode(uint16(w.status))
	w.body = resp.Body().Ok
	proxy.ResponseOutparamSet(w.out, proxy.Ok[proxy.OutgoingResponse, proxy.ErrorCode](resp))
	w.stream = w.body.Write().Ok
}

func (w *responseWriter) trailerNames(h http.Header) []string {
	var names []string
	for _, v := range h["Trailer"] {
		for _, k := range strings.Split(v, ",") {
			if k = strings.TrimSpace(k); k != "" {
				names = append(names, http.CanonicalHeaderKey(k))
			}
		}
	}
	for k := range w.header {
		if strings.HasPrefix(k, http.TrailerPrefix) {
			names = append(names, strings.TrimPrefix(k, http.TrailerPrefix))
		}
	}
	return names
}

// finish ends the response after the handler returned.
func (w *responseWriter) finish() {
	if !w.wrote {
		w.WriteHeader(http.StatusOK)
	}
	if !w.sent {
		// Everything fits in the buffer: the head goes out with a Content-Length.
		p := w.pending
		w.pending = nil
		w.sendHead(p, true)
		_ = w.writeBody(p)
	}
	trailers := proxy.None[proxy.Trailers]()
	if len(w.trailer) > 0 {
		t := http.Header{}
		for _, k := range w.trailer {
			if v, ok := w.header[k]; ok {
				t[k] = v
			}
			if v, ok := w.header[http.TrailerPrefix+k]; ok {
				t[k] = v
			}
		}
		if len(t) > 0 {
			trailers = proxy.Some[proxy.Trailers](toFields(t, "trailer"))
		}
	}
	if w.err == nil {
		w.err = flush(w.ctx, w.stream)
	}
	w.stream.Drop()
	if r := proxy.OutgoingBodyFinish(w.body, trailers); r.IsErr && w.err == nil {
		fmt.Fprintf(os.Stderr, "wasihttp: response body of %s %s: %s\n", w.req.Method, w.req.URL.RequestURI(), errorCodeString(r.Err))
	}
}

// abort ends the response without finishing the body (the client sees a broken response).
func (w *responseWriter) abort() {
	if w.sent && !w.failed && w.stream != (proxy.OutputStream{}) {
		w.stream.Drop()
		w.body.Drop()
	}
}

var _ io.StringWriter = (*responseWriter)(nil)
var _ http.Flusher = (*responseWriter)(nil)
