module patcher.dev/bench/httpload

go 1.24
