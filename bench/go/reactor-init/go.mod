module bench/reactor-init

go 1.24
