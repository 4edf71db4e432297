module fastfiles

go 1.24
