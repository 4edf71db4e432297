"""Stage 5: a variant's companion plan, the cabi_realloc pause rewrite, and composing a core module with an adapter."""
