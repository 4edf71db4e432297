"""Stage 3: the wasm32 Rust toolchain, the cargo build of a variant's adapters, their checks and stamps, prebuilt adapters."""
