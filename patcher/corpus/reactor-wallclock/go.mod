module reactor-wallclock

go 1.24
