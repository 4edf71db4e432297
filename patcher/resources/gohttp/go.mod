module patcher.dev/wasihttp

go 1.24
