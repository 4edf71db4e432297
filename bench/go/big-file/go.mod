module bench/big-file

go 1.24
