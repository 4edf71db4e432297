module example.com/plainrealloc

go 1.24
