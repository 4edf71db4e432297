module alltypes

go 1.24
