module bench/env-start

go 1.24
