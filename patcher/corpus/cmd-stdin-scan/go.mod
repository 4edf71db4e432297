module cmd-stdin-scan

go 1.24
