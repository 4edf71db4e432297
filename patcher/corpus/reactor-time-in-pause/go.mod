module reactor-time-in-pause

go 1.24
