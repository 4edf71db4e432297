module clocks

go 1.24
