module cmd-exit-code

go 1.24
