module reactor-strings-naive

go 1.24
