module preinitprobe

go 1.24
