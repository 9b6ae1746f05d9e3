module github.com/wagate/wagate/bench/messages

go 1.26.8

require (
	github.com/coder/websocket v1.8.15
	github.com/wagate/wagate/e2e v0.0.0
)

replace github.com/wagate/wagate/e2e => ../../e2e
