module github.com/wagate/wagate/bench/failover

go 1.26.8

require github.com/wagate/wagate/e2e v0.0.0

replace github.com/wagate/wagate/e2e => ../../e2e
