module cmd-stdin-echo

go 1.24
