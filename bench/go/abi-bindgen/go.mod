module bench/abi-bindgen

go 1.24
