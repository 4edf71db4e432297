module cmd-panic

go 1.24
