"""Stage 4: Go toolchains (1.24-1.27), cached wasip1 builds, and Go runtime overlays rendered from go_patches."""
