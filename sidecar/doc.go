// Package sidecar is the wagate sidecar module: a gRPC server around whatsmeow (cmd/wagate-sidecar), the
// WhatsApp emulator it is tested against (emulator, cmd/wa-emulator), and the generated contract (gen).
package sidecar

// The contract lives at the repository root so that the gateway's build reads the same file.
//go:generate protoc --proto_path=../proto --plugin=protoc-gen-go=.bin/protoc-gen-go --plugin=protoc-gen-go-grpc=.bin/protoc-gen-go-grpc --go_out=. --go_opt=module=github.com/wagate/wagate/sidecar --go-grpc_out=. --go-grpc_opt=module=github.com/wagate/wagate/sidecar wagate/sidecar/v1/sidecar.proto
