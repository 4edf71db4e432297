module cmd-files-heavy

go 1.24
