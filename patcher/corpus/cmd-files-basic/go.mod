module cmd-files-basic

go 1.24
