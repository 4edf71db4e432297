module reactor-print-in-pause

go 1.24
