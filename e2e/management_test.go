package e2e

import (
	"strings"
	"testing"
)

// /q/* of the packaged gateway lives on the management port only (issue 12 item 11): the API port answers it like any
// unknown route, and neither readiness nor metrics carry what a client sent.
func TestOperationsOnTheManagementPortOnly(t *testing.T) {
	for _, path := range []string{"/q/health/ready", "/q/metrics", "/q/openapi", "/q/swagger-ui/"} {
		expectError(t, call(t, "GET", product.gateway, path, "", nil), 404, "Not found")
	}
	ready := call(t, "GET", product.management, "/q/health/ready", "", nil)
	expectStatus(t, ready, 200)
	if ready.str("status") != "UP" {
		t.Fatalf("readiness on the management port: %s", ready.raw)
	}
	expectStatus(t, call(t, "GET", product.management, "/q/openapi", "", nil), 200)

	// answers written before routing (413) and by the router (405, 404) must not put the raw path into a label
	name := newInstance(t, product.token)
	secret := "leak" + strings.ReplaceAll(name, "e2e-", "")
	call(t, "GET", product.gateway, "/api/instance/connect/"+secret+"a", "not-a-token", nil)
	call(t, "PUT", product.gateway, "/api/instance/connect/"+secret+"b", product.token, nil)
	call(t, "GET", product.gateway, "/api/nothing/"+secret+"c", product.token, nil)
	big := map[string]any{"name": strings.Repeat("x", 1100*1024)}
	expectError(t, call(t, "POST", product.gateway, "/api/instance/proxy/"+secret+"d", product.token, big), 413, "Request body too large")
	metrics := call(t, "GET", product.management, "/q/metrics", "", nil)
	expectStatus(t, metrics, 200)
	if !strings.Contains(metrics.raw, "http_server_requests_seconds_count") {
		t.Fatalf("no http_server_requests in /q/metrics")
	}
	if strings.Contains(metrics.raw, secret) {
		t.Fatalf("a path sent by a client reached a metric label:\n%s", grepLines(metrics.raw, secret))
	}
}

func grepLines(text, needle string) string {
	var out []string
	for _, line := range strings.Split(text, "\n") {
		if strings.Contains(line, needle) {
			out = append(out, line)
		}
	}
	return strings.Join(out, "\n")
}
