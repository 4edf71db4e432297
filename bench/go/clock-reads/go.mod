module bench/clock-reads

go 1.24
