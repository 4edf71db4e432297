module reactor-export-realloc

go 1.24
