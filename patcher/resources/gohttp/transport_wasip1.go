//go:build wasip1

package wasihttp

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"

	"patcher.dev/wasihttp/internal/proxy"
)

// Transport is an http.RoundTripper over wasi:http/outgoing-handler; http.DefaultTransport is
// one in a component. Bodies stream both ways; the request's context deadline becomes the
// host's connect and first-byte timeouts; waiting lets other goroutines run.
type Transport struct{}

const hostTimeoutSlack = 50 * time.Millisecond

// Error is a wasi:http error-code from the host (http.Client wraps it in a *url.Error).
type Error struct {
	Code proxy.ErrorCodeTag
	msg  string
}

func (e *Error) Error() string { return "wasi:http: " + e.msg }

// Timeout reports whether the host gave up waiting (net.Error-like).
func (e *Error) Timeout() bool {
	switch e.Code {
	case proxy.ErrorCodeDNSTimeout, proxy.ErrorCodeConnectionTimeout, proxy.ErrorCodeConnectionReadTimeout,
		proxy.ErrorCodeConnectionWriteTimeout, proxy.ErrorCodeHTTPResponseTimeout:
		return true
	}
	return false
}

var errorNames = map[proxy.ErrorCodeTag]string{
	proxy.ErrorCodeDNSTimeout: "DNS-timeout", proxy.ErrorCodeDNSError: "DNS-error", proxy.ErrorCodeDestinationNotFound: "destination-not-found",
	proxy.ErrorCodeDestinationUnavailable: "destination-unavailable", proxy.ErrorCodeDestinationIPProhibited: "destination-IP-prohibited",
	proxy.ErrorCodeDestinationIPUnroutable: "destination-IP-unroutable", proxy.ErrorCodeConnectionRefused: "connection-refused",
	proxy.ErrorCodeConnectionTerminated: "connection-terminated", proxy.ErrorCodeConnectionTimeout: "connection-timeout",
	proxy.ErrorCodeConnectionReadTimeout: "connection-read-timeout", proxy.ErrorCodeConnectionWriteTimeout: "connection-write-timeout",
	proxy.ErrorCodeConnectionLimitReached: "connection-limit-reached", proxy.ErrorCodeTLSProtocolError: "TLS-protocol-error",
	proxy.ErrorCodeTLSCertificateError: "TLS-certificate-error", proxy.ErrorCodeTLSAlertReceived: "TLS-alert-received",
	proxy.ErrorCodeHTTPRequestDenied: "HTTP-request-denied", proxy.ErrorCodeHTTPRequestLengthRequired: "HTTP-request-length-required",
	proxy.ErrorCodeHTTPRequestBodySize: "HTTP-request-body-size", proxy.ErrorCodeHTTPRequestMethodInvalid: "HTTP-request-method-invalid",
	proxy.ErrorCodeHTTPRequestURIInvalid: "HTTP-request-URI-invalid", proxy.ErrorCodeHTTPRequestURITooLong: "HTTP-request-URI-too-long",
	proxy.ErrorCodeHTTPResponseIncomplete: "HTTP-response-incomplete", proxy.ErrorCodeHTTPResponseTimeout: "HTTP-response-timeout",
	proxy.ErrorCodeHTTPProtocolError: "HTTP-protocol-error", proxy.ErrorCodeLoopDetected: "loop-detected",
	proxy.ErrorCodeConfigurationError: "configuration-error", proxy.ErrorCodeInternalError: "internal-error",
}

func errorCodeString(c proxy.ErrorCode) string {
	name, ok := errorNames[c.Tag]
	if !ok {
		name = "error-code " + strconv.Itoa(int(c.Tag))
	}
	if c.Tag == proxy.ErrorCodeInternalError && c.InternalError.Some {
		name += ": " + c.InternalError.Value
	}
	if c.Tag == proxy.ErrorCodeDNSError && c.DNSError.Rcode.Some {
		name += ": " + c.DNSError.Rcode.Value
	}
	return name
}

func hostError(c proxy.ErrorCode) error { return &Error{Code: c.Tag, msg: errorCodeString(c)} }

func (t *Transport) RoundTrip(req *http.Request) (*http.Response, error) {
	ctx := req.Context()
	if req.URL == nil {
		return nil, errors.New("wasihttp: nil Request.URL")
	}
	h := req.Header.Clone()
	if h == nil {
		h = http.Header{}
	}
	if req.ContentLength > 0 && h.Get("Content-Length") == "" {
		h.Set("Content-Length", strconv.FormatInt(req.ContentLength, 10))
	}
	if _, ok := h["User-Agent"]; !ok {
		h.Set("User-Agent", "Go-http-client/1.1")
	}
	out := proxy.NewOutgoingRequest(toFields(h, "request"))
	method := req.Method
	if method == "" {
		method = http.MethodGet
	}
	if out.SetMethod(toMethod(method)).IsErr {
		out.Drop()
		return nil, fmt.Errorf("wasihttp: method %q refused by the host", method)
	}
	out.SetPathWithQuery(proxy.Some(req.URL.RequestURI()))
	switch strings.ToLower(req.URL.Scheme) {
	case "http":
		out.SetScheme(proxy.Some(proxy.Scheme{Tag: proxy.SchemeHTTP}))
	case "https":
		out.SetScheme(proxy.Some(proxy.Scheme{Tag: proxy.SchemeHTTPS}))
	default:
		out.Drop()
		return nil, fmt.Errorf("wasihttp: unsupported protocol scheme %q", req.URL.Scheme)
	}
	host := req.Host
	if host == "" {
		host = req.URL.Host
	}
	out.SetAuthority(proxy.Some(host))
	opts := proxy.None[proxy.RequestOptions]()
	if d, ok := ctx.Deadline(); ok {
		left := time.Until(d)
		if left <= 0 {
			out.Drop()
			return nil, context.DeadlineExceeded
		}
		// The host gives up a little after the context does, so a deadline is reported as
		// Go reports it (context.DeadlineExceeded), not as the host's timeout.
		ns := proxy.Duration((left + hostTimeoutSlack).Nanoseconds())
		o := proxy.NewRequestOptions()
		o.SetConnectTimeout(proxy.Some(ns))
		o.SetFirstByteTimeout(proxy.Some(ns))
		o.SetBetweenBytesTimeout(proxy.Some(ns))
		opts = proxy.Some(o)
	}
	ob := out.Body().Ok
	fut := proxy.OutgoingHandlerHandle(out, opts)
	if fut.IsErr {
		ob.Drop()
		closeBody(req)
		return nil, hostError(fut.Err)
	}
	// The request body streams while the response is awaited.
	bodyDone := make(chan error, 1)
	go func() { bodyDone <- sendBody(ctx, req, ob) }()
	f := fut.Ok
	defer f.Drop()
	for {
		r := f.Get()
		if r.Some {
			if r.Value.IsErr {
				return nil, errors.New("wasihttp: response already taken")
			}
			if r.Value.Ok.IsErr {
				if err := ctx.Err(); err != nil {
					return nil, err
				}
				return nil, hostError(r.Value.Ok.Err)
			}
			return toResponse(ctx, req, r.Value.Ok.Ok)
		}
		if err := awaitDrop(ctx, f.Subscribe()); err != nil {
			return nil, err
		}
		select {
		case err := <-bodyDone:
			if err != nil {
				return nil, err
			}
			bodyDone <- nil
		default:
		}
	}
}

func closeBody(req *http.Request) {
	if req.Body != nil {
		req.Body.Close()
	}
}

func sendBody(ctx context.Context, req *http.Request, ob proxy.OutgoingBody) error {
	s := ob.Write().Ok
	var err error
	if req.Body != nil && req.Body != http.NoBody {
		buf := make([]byte, maxChunk)
		for {
			n, rerr := req.Body.Read(buf)
			if n > 0 {
				if err = writeAll(ctx, s, buf[:n]); err != nil {
					break
				}
			}
			if rerr == io.EOF {
				break
			}
			if rerr != nil {
				err = rerr
				break
			}
		}
		req.Body.Close()
		if err == nil {
			// A stream the host closed has taken everything it will; the response says the rest.
			if err = flush(ctx, s); err == io.EOF {
				err = nil
			}
		}
	}
	s.Drop()
	if r := proxy.OutgoingBodyFinish(ob, proxy.None[proxy.Trailers]()); r.IsErr && err == nil {
		err = hostError(r.Err)
	}
	return err
}

func toResponse(ctx context.Context, req *http.Request, in proxy.IncomingResponse) (*http.Response, error) {
	hf := in.Headers()
	header := fromFields(hf)
	hf.Drop()
	code := int(in.Status())
	resp := &http.Response{Status: strconv.Itoa(code) + " " + http.StatusText(code), StatusCode: code, Proto: "HTTP/1.1", ProtoMajor: 1,
		ProtoMinor: 1, Header: header, Request: req, ContentLength: -1}
	if cl := header.Get("Content-Length"); cl != "" {
		if n, err := strconv.ParseInt(cl, 10, 64); err == nil {
			resp.ContentLength = n
		}
	}
	if te := header["Transfer-Encoding"]; len(te) > 0 {
		resp.TransferEncoding = te
		delete(header, "Transfer-Encoding")
	}
	b := in.Consume()
	if b.IsErr {
		in.Drop()
		return nil, errors.New("wasihttp: response body already taken")
	}
	br, err := newBodyReader(ctx, b.Ok)
	if err != nil {
		return nil, err
	}
	resp.Body = &responseBody{bodyReader: br, resp: in}
	if req.Method == http.MethodHead {
		resp.ContentLength = max(resp.ContentLength, 0)
	}
	return resp, nil
}

// responseBody also drops the incoming-response (the body's parent) on Close.
type responseBody struct {
	*bodyReader
	resp proxy.IncomingResponse
}

func (r *responseBody) Close() error {
	err := r.bodyReader.Close()
	if r.resp != (proxy.IncomingResponse{}) {
		r.resp.Drop()
		r.resp = proxy.IncomingResponse{}
	}
	return err
}
