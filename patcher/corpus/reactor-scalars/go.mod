module reactor-scalars

go 1.24
