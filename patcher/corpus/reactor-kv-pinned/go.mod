module reactor-kv-pinned

go 1.24
