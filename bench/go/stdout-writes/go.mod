module bench/stdout-writes

go 1.24
