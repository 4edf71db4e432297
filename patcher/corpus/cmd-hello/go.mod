module cmd-hello

go 1.24
