module cmd-time

go 1.24
