;; bench/floor.py's minimal stdout adapter: fd_write on a Preview 1 module's stdout as one
;; blocking-write-and-flush on a stream handle kept in a global, and nothing else (no other fd,
;; one iovec). Not for use: it measures what the host's Preview 2 write path costs by itself.
;; The result<_, stream-error> goes to [4112, 4124), which the driver module leaves free.
(module
  (import "env" "memory" (memory 0))
  (import "wasi:cli/stdout@0.2.12" "get-stdout" (func $get_stdout (result i32)))
  (import "wasi:io/streams@0.2.12" "[method]output-stream.blocking-write-and-flush" (func $bwf (param i32 i32 i32 i32)))
  (global $h (mut i32) (i32.const -1))
  (func (export "fd_write") (param $fd i32) (param $iovs i32) (param $n i32) (param $nw i32) (result i32)
    global.get $h
    i32.const -1
    i32.eq
    if
      call $get_stdout
      global.set $h
    end
    global.get $h
    local.get $iovs
    i32.load
    local.get $iovs
    i32.load offset=4
    i32.const 4112
    call $bwf
    i32.const 4112
    i32.load8_u
    if
      i32.const 29
      return
    end
    local.get $nw
    local.get $iovs
    i32.load offset=4
    i32.store
    i32.const 0)
)
