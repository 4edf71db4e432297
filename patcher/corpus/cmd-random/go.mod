module cmd-random

go 1.24
