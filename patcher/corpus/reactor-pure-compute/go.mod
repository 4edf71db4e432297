module reactor-pure-compute

go 1.24
