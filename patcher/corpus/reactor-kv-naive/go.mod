module reactor-kv-naive

go 1.24
