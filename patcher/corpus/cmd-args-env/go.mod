module cmd-args-env

go 1.24
