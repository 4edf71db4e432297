module bench/file-reads

go 1.24
