module cmd-json-large

go 1.24
