module reactor-strings-none

go 1.24
