module bench/reactor-strings

go 1.24
