module reactor-linkname-glue

go 1.24
