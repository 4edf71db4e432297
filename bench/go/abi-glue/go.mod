module bench/abi-glue

go 1.24
