module cmd-env-generated

go 1.24
