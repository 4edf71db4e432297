module cmd-files-dir300

go 1.24
