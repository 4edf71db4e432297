"""Stage 8: release artifacts (adapters per variant and kind, checksums, manifest, report) and the wheel."""
