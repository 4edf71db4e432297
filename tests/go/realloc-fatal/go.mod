module example.com/reallocfatal

go 1.24
