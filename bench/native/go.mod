module github.com/wagate/wagate/bench/native

go 1.26.8
