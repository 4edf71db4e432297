module reactor-strings-pinned

go 1.24
