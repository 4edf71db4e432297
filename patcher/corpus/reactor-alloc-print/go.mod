module reactor-alloc-print

go 1.24
