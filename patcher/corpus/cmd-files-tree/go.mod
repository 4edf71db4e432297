module cmd-files-tree

go 1.24
