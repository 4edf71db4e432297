module cmd-gc-churn

go 1.24
