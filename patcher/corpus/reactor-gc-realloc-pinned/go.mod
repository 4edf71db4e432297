module reactor-gc-realloc-pinned

go 1.24
