module github.com/wagate/wagate/bench/api

go 1.26.8
