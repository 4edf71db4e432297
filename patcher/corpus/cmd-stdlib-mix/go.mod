module cmd-stdlib-mix

go 1.24
