module example.com/httpservice

go 1.24
