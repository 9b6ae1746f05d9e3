# wagate: `make run` (real WhatsApp), `make demo` (bundled emulator), `make test` (everything).
# Ports, paths and the database are set through environment variables; see README.md.
SHELL := /usr/bin/env bash
.DEFAULT_GOAL := help

.PHONY: help run demo test bench soak build native generate clean

help:
	@echo "make run    start PostgreSQL, the sidecar and the gateway against real WhatsApp"
	@echo "make demo   the same against the bundled WhatsApp emulator, with a walkthrough"
	@echo "make test   run every test (Go, gateway, end-to-end, native sources, deploy checks)"
	@echo "make bench  run the benchmarks under bench/ and print their tables"
	@echo "make soak   30 minutes of random faults against 200 instances (SOAK_MINUTES), then lost/duplicated/RSS"
	@echo "make native build the native binary target/*-runner (WAGATE_NATIVE=1 make run|demo runs it)"

# REPLICAS=N: N gateway+sidecar pairs on one PostgreSQL (scripts/run.sh, WAGATE_REPLICAS)
run:
	@WAGATE_REPLICAS=$(or $(REPLICAS),$${WAGATE_REPLICAS:-1}) scripts/run.sh

demo:
	@WAGATE_REPLICAS=$(or $(REPLICAS),$${WAGATE_REPLICAS:-1}) scripts/run.sh --demo

test:
	@scripts/test.sh

bench:
	@scripts/bench.sh

soak:
	@scripts/soak.sh

build:
	cd sidecar && go build -o ../bin/ ./cmd/wagate-sidecar ./cmd/wa-emulator ./cmd/wagate-events
	./mvnw -B -q package -DskipTests

native:
	@scripts/native.sh

generate:
	@bash -c '. scripts/lib.sh && ensure_codegen_tools "$$PWD"' && cd sidecar && go generate ./...

clean:
	rm -rf bin target sidecar/.bin
