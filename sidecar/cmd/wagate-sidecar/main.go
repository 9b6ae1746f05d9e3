// Command wagate-sidecar is the gRPC service that holds wagate's whatsmeow sessions. See sidecar/README.md.
package main

import "github.com/wagate/wagate/sidecar/internal/app"

func main() {
	app.Main()
}
