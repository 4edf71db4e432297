module reactor-calls-1000

go 1.24
