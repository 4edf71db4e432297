module bench/goroutines

go 1.24
