"""Stage 2: patch and variant specs, and the engine that renders templates at anchors into a patched cargo workspace."""
