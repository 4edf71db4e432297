module bench/dir-read

go 1.24
