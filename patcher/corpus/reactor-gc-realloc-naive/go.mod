module reactor-gc-realloc-naive

go 1.24
