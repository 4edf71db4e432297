module cmd-goroutines

go 1.24
