module reactor-rand-in-pause

go 1.24
