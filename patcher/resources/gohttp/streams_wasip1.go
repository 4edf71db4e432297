//go:build wasip1

package wasihttp

import (
	"context"
	"errors"
	"fmt"
	"io"

	"patcher.dev/wasihttp/internal/proxy"
)

const maxChunk = 64 << 10 // bytes read or written per host call: memory stays bounded

func streamErr(op string, e proxy.StreamError) error {
	if e.Tag == proxy.StreamErrorClosed {
		return io.EOF
	}
	msg := e.LastOperationFailed.ToDebugString()
	e.LastOperationFailed.Drop()
	return fmt.Errorf("wasihttp: %s: %s", op, msg)
}

// bodyReader reads an incoming-body's stream; Close finishes the body (its trailers are dropped).
type bodyReader struct {
	ctx     context.Context
	body    proxy.IncomingBody
	stream  proxy.InputStream
	done    bool
	closed  bool
	pending []byte // read ahead by first()
	onEOF   func(trailers proxy.FutureTrailers)
}

func newBodyReader(ctx context.Context, body proxy.IncomingBody) (*bodyReader, error) {
	s := body.Stream()
	if s.IsErr {
		return nil, errors.New("wasihttp: body stream already taken")
	}
	return &bodyReader{ctx: ctx, body: body, stream: s.Ok}, nil
}

// first waits for the first bytes of the body, or its end (io.EOF).
func (b *bodyReader) first() ([]byte, error) {
	p := make([]byte, 4096)
	n, err := b.Read(p)
	return p[:n], err
}

func (b *bodyReader) Read(p []byte) (int, error) {
	if b.closed {
		return 0, errors.New("wasihttp: read on closed body")
	}
	if len(b.pending) > 0 {
		n := copy(p, b.pending)
		b.pending = b.pending[n:]
		return n, nil
	}
	if b.done {
		return 0, io.EOF
	}
	if len(p) == 0 {
		return 0, nil
	}
	for {
		r := b.stream.Read(uint64(min(len(p), maxChunk)))
		if r.IsErr {
			err := streamErr("read body", r.Err)
			if err == io.EOF {
				b.done = true
			}
			return 0, err
		}
		if len(r.Ok) > 0 {
			return copy(p, r.Ok), nil
		}
		if err := awaitDrop(b.ctx, b.stream.Subscribe()); err != nil {
			return 0, err
		}
	}
}

func (b *bodyReader) Close() error {
	if b.closed {
		return nil
	}
	b.closed = true
	b.stream.Drop()
	ft := proxy.IncomingBodyFinish(b.body)
	if b.onEOF != nil {
		b.onEOF(ft)
	} else {
		ft.Drop()
	}
	return nil
}

// writeAll writes p to an output-stream as fast as the host accepts, waiting cooperatively.
func writeAll(ctx context.Context, s proxy.OutputStream, p []byte) error {
	for len(p) > 0 {
		c := s.CheckWrite()
		if c.IsErr {
			return streamErr("write body", c.Err)
		}
		if c.Ok == 0 {
			if err := awaitDrop(ctx, s.Subscribe()); err != nil {
				return err
			}
			continue
		}
		n := min(uint64(len(p)), c.Ok, maxChunk)
		if w := s.Write(p[:n]); w.IsErr {
			return streamErr("write body", w.Err)
		}
		p = p[n:]
	}
	return nil
}

// flush pushes what was written to the peer and waits (cooperatively) until the host took it.
func flush(ctx context.Context, s proxy.OutputStream) error {
	if f := s.Flush(); f.IsErr {
		return streamErr("flush body", f.Err)
	}
	for {
		c := s.CheckWrite()
		if c.IsErr {
			return streamErr("flush body", c.Err)
		}
		if c.Ok > 0 {
			return nil
		}
		if err := awaitDrop(ctx, s.Subscribe()); err != nil {
			return err
		}
	}
}
