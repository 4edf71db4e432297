"""Stage 1: the pinned upstream adapter source (fetch, verify, re-pin) and the official adapters it is compared with."""
