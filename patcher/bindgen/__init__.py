"""`patcher bindgen`: Go bindings (pure Go, no cgo) for a WIT world, over the canonical ABI.

Split by job: model (load the resolved WIT), abi (sizes, alignments, flattening), naming (Go
identifiers), golower (the Go code that lifts and lowers values), render (the Jinja2 file).
"""

from patcher.bindgen.render import generate

__all__ = ["generate"]
