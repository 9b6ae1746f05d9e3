package check

import (
	"encoding/base64"
	"slices"
	"strings"
	"testing"
)

func ptr[T any](v T) *T { return &v }

func container(t *testing.T, b *Bundle, deployment, name string) *Container {
	t.Helper()
	d := b.Deployment(deployment)
	if d == nil || d.Container(name) == nil {
		t.Fatalf("rendered manifests have no %s/%s to break", deployment, name)
	}
	return d.Container(name)
}

func gateway(t *testing.T, b *Bundle) *Container {
	return container(t, b, AppDeployment, GatewayContainer)
}

// setEnv changes the value of one of the container's variables; the variable must exist.
func setEnv(t *testing.T, c *Container, name, value string) {
	t.Helper()
	for i := range c.Env {
		if c.Env[i].Name == name {
			c.Env[i].Value = value
			return
		}
	}
	t.Fatalf("%s has no env %s", c.Name, name)
}

// headless returns the Service the pods forward to each other through.
func headless(t *testing.T, b *Bundle) *Service {
	t.Helper()
	for _, s := range b.Services {
		if s.Metadata.Name == "wagate-pods" {
			return s
		}
	}
	t.Fatal("no Service wagate-pods rendered")
	return nil
}

func sidecar(t *testing.T, b *Bundle) *Container {
	return container(t, b, AppDeployment, SidecarContainer)
}

func replaceArg(t *testing.T, c *Container, old, repl string) {
	t.Helper()
	i := slices.Index(c.Args, old)
	if i < 0 {
		t.Fatalf("container %s has no argument %q", c.Name, old)
	}
	c.Args[i] = repl
}

func findCheck(t *testing.T, name string) Check {
	t.Helper()
	for _, set := range [][]Check{BaseChecks, ProductionChecks, EmulatorChecks} {
		for _, c := range set {
			if c.Name == name {
				return c
			}
		}
	}
	t.Fatalf("no check named %q", name)
	return Check{}
}

// TestBrokenManifestsFail proves every invariant can fail: each case breaks one thing in the real rendered output
// (or appends a broken document) and expects exactly that check to report it.
func TestBrokenManifestsFail(t *testing.T) {
	cases := []struct {
		name     string
		emulator bool   // break the emulator overlay instead of the base
		extra    string // YAML documents appended to the rendered output
		breakIt  func(t *testing.T, b *Bundle)
		check    string
		want     string
	}{
		{name: "gateway without liveness probe", check: "gateway-probes", want: "no liveness probe",
			breakIt: func(t *testing.T, b *Bundle) { gateway(t, b).LivenessProbe = nil }},
		{name: "gateway readiness on the wrong path", check: "gateway-probes", want: `want "/q/health/ready"`,
			breakIt: func(t *testing.T, b *Bundle) { gateway(t, b).ReadinessProbe.HTTPGet.Path = "/q/health/live" }},
		{name: "gateway readiness on the API port", check: "gateway-probes", want: "is not the management port 9000",
			breakIt: func(t *testing.T, b *Bundle) { gateway(t, b).ReadinessProbe.HTTPGet.Port = "http" }},
		{name: "sidecar without readiness probe", check: "sidecar-probes", want: "no readiness probe",
			breakIt: func(t *testing.T, b *Bundle) { sidecar(t, b).ReadinessProbe = nil }},
		{name: "sidecar kubelet grpc probe on a loopback listener", check: "sidecar-probes", want: "dials the pod IP",
			breakIt: func(t *testing.T, b *Bundle) {
				p := &Probe{}
				p.GRPC = &struct {
					Port int `yaml:"port"`
				}{Port: 9001}
				sidecar(t, b).LivenessProbe = p
			}},
		{name: "gateway may run as root", check: "non-root-hardened", want: "gateway: runAsNonRoot is not true",
			breakIt: func(t *testing.T, b *Bundle) {
				gateway(t, b).SecurityContext.RunAsNonRoot = ptr(false)
			}},
		{name: "sidecar runs as uid 0", check: "non-root-hardened", want: "sidecar: runAsUser is 0",
			breakIt: func(t *testing.T, b *Bundle) { sidecar(t, b).SecurityContext.RunAsUser = ptr(int64(0)) }},
		{name: "sidecar writable root filesystem", check: "non-root-hardened", want: "sidecar: readOnlyRootFilesystem",
			breakIt: func(t *testing.T, b *Bundle) { sidecar(t, b).SecurityContext.ReadOnlyRootFilesystem = ptr(false) }},
		{name: "emulator allows privilege escalation", emulator: true, check: "non-root-hardened",
			want: "wa-emulator/wa-emulator: allowPrivilegeEscalation",
			breakIt: func(t *testing.T, b *Bundle) {
				container(t, b, EmulatorDeployment, EmulatorDeployment).SecurityContext.AllowPrivilegeEscalation = ptr(true)
			}},
		{name: "gateway keeps capabilities", check: "non-root-hardened", want: "do not drop ALL",
			breakIt: func(t *testing.T, b *Bundle) { gateway(t, b).SecurityContext.Capabilities.Drop = nil }},
		{name: "no seccomp profile", check: "non-root-hardened", want: "seccompProfile",
			breakIt: func(t *testing.T, b *Bundle) {
				b.Deployment(AppDeployment).Spec.Template.Spec.SecurityContext.SeccompProfile = nil
			}},
		{name: "sidecar listens on every interface", check: "sidecar-loopback", want: "not on the loopback interface",
			breakIt: func(t *testing.T, b *Bundle) { replaceArg(t, sidecar(t, b), "127.0.0.1:9001", "0.0.0.0:9001") }},
		{name: "gateway dials another sidecar port", check: "sidecar-loopback", want: "QUARKUS_GRPC_CLIENTS_SIDECAR_PORT",
			breakIt: func(t *testing.T, b *Bundle) {
				gw := gateway(t, b)
				for i := range gw.Env {
					if gw.Env[i].Name == "QUARKUS_GRPC_CLIENTS_SIDECAR_PORT" {
						gw.Env[i].Value = "9002"
					}
				}
			}},
		{name: "a Service exposes the sidecar's gRPC port", check: "sidecar-not-exposed", want: "exposes the sidecar's gRPC port 9001",
			extra: "---\napiVersion: v1\nkind: Service\nmetadata:\n  name: wagate-grpc\nspec:\n  selector:\n    app: wagate\n" +
				"  ports:\n    - name: grpc\n      port: 9001\n"},
		{name: "the pod shares the node's network", check: "sidecar-not-exposed", want: "hostNetwork",
			breakIt: func(t *testing.T, b *Bundle) { b.Deployment(AppDeployment).Spec.Template.Spec.HostNetwork = true }},
		{name: "sidecar declares a container port", check: "sidecar-not-exposed", want: "declares container port 9001",
			breakIt: func(t *testing.T, b *Bundle) {
				sidecar(t, b).Ports = []ContainerPort{{Name: "grpc", ContainerPort: 9001}}
			}},
		{name: "secretKeyRef to a missing key", check: "references-resolve", want: `has no key "PG_PASSWORD_TYPO"`,
			breakIt: func(t *testing.T, b *Bundle) {
				gw := gateway(t, b)
				for i := range gw.Env {
					if gw.Env[i].Name == "PG_PASSWORD" {
						gw.Env[i].ValueFrom.SecretKeyRef.Key = "PG_PASSWORD_TYPO"
					}
				}
			}},
		{name: "configMapKeyRef to a missing ConfigMap key", check: "references-resolve", want: `has no key "PG_HOST"`,
			breakIt: func(t *testing.T, b *Bundle) {
				for _, cm := range b.ConfigMaps {
					delete(cm.Data, "PG_HOST")
				}
			}},
		{name: "secretKeyRef to a Secret that is not rendered", check: "references-resolve", want: "is not rendered",
			breakIt: func(t *testing.T, b *Bundle) { b.Secrets = nil }},
		{name: "sidecar argument refers to an undefined variable", check: "references-resolve", want: "$(WAGATE_SIDECAR_DSN)",
			breakIt: func(t *testing.T, b *Bundle) {
				replaceArg(t, sidecar(t, b), "$(WAGATE_SIDECAR_DB)", "$(WAGATE_SIDECAR_DSN)")
			}},
		{name: "sidecar without memory limit", check: "resources-set", want: "sidecar: resources.limits.memory",
			breakIt: func(t *testing.T, b *Bundle) { delete(sidecar(t, b).Resources.Limits, "memory") }},
		{name: "gateway without requests", check: "resources-set", want: "gateway: resources.requests.cpu",
			breakIt: func(t *testing.T, b *Bundle) { gateway(t, b).Resources.Requests = nil }},
		{name: "one replica", check: "scale-out", want: "want at least 2",
			breakIt: func(t *testing.T, b *Bundle) { b.Deployment(AppDeployment).Spec.Replicas = ptr(1) }},
		{name: "replicas without leases", check: "scale-out", want: "WAGATE_CLUSTER_ENABLED",
			breakIt: func(t *testing.T, b *Bundle) { setEnv(t, gateway(t, b), "WAGATE_CLUSTER_ENABLED", "false") }},
		{name: "advertised URL not under the headless Service", check: "scale-out", want: "is not http://$(POD_NAME)",
			breakIt: func(t *testing.T, b *Bundle) {
				setEnv(t, gateway(t, b), "WAGATE_CLUSTER_ADVERTISED_URL", "http://wagate:8080")
			}},
		{name: "pod without the subdomain", check: "scale-out", want: "pod subdomain",
			breakIt: func(t *testing.T, b *Bundle) { b.Deployment(AppDeployment).Spec.Template.Spec.Subdomain = "" }},
		{name: "headless Service hides pods that are not ready", check: "scale-out", want: "must publish not-ready pods",
			breakIt: func(t *testing.T, b *Bundle) { headless(t, b).Spec.PublishNotReadyAddresses = false }},
		{name: "forwarding Service with a cluster IP", check: "scale-out", want: "must be headless",
			breakIt: func(t *testing.T, b *Bundle) { headless(t, b).Spec.ClusterIP = "" }},
		{name: "recreate", check: "scale-out", want: "maxUnavailable: 0",
			breakIt: func(t *testing.T, b *Bundle) { b.Deployment(AppDeployment).Spec.Strategy.Type = "Recreate" }},
		{name: "grace period too short for the hand-over", check: "scale-out", want: "terminationGracePeriodSeconds",
			breakIt: func(t *testing.T, b *Bundle) {
				b.Deployment(AppDeployment).Spec.Template.Spec.TerminationGracePeriodSeconds = ptr(10)
			}},
		{name: "no PodDisruptionBudget", check: "scale-out", want: "no PodDisruptionBudget",
			breakIt: func(t *testing.T, b *Bundle) { b.PDBs = nil }},
		{name: "budget that blocks drains", check: "scale-out", want: "one pod down at a time",
			breakIt: func(t *testing.T, b *Bundle) { b.PDBs[0].Spec.MaxUnavailable, b.PDBs[0].Spec.MinAvailable = "", "3" }},
		{name: "a real-looking secret", check: "secrets-are-placeholders", want: "without REPLACE_ME",
			breakIt: func(t *testing.T, b *Bundle) {
				b.Secrets[0].Data["PG_PASSWORD"] = base64.StdEncoding.EncodeToString([]byte("hunter2"))
			}},
		{name: "base without verified TLS to PostgreSQL", check: "postgres-tls-verified", want: "PG_SSLMODE is \"prefer\"",
			breakIt: func(t *testing.T, b *Bundle) {
				for _, cm := range b.ConfigMaps {
					if _, ok := cm.Data["PG_SSLMODE"]; ok {
						cm.Data["PG_SSLMODE"] = "prefer"
					}
				}
			}},
		{name: "sidecar DSN without the CA", check: "postgres-tls-verified", want: "sslrootcert",
			breakIt: func(t *testing.T, b *Bundle) {
				sc := sidecar(t, b)
				for i := range sc.Env {
					if sc.Env[i].Name == "WAGATE_SIDECAR_DB" {
						sc.Env[i].Value = strings.Replace(sc.Env[i].Value, " sslrootcert='$(PG_SSLROOTCERT)'", "", 1)
					}
				}
			}},
		{name: "base in emulator mode", check: "base-not-emulator-mode", want: "--wa-emulator",
			breakIt: func(t *testing.T, b *Bundle) {
				sc := sidecar(t, b)
				sc.Args = append(sc.Args, "--wa-emulator", "wa-emulator:8081")
			}},
		{name: "overlay without emulator flag", emulator: true, check: "emulator-mode-wired", want: "not started with --wa-emulator",
			breakIt: func(t *testing.T, b *Bundle) { replaceArg(t, sidecar(t, b), "--wa-emulator", "--wa-emulatr") }},
		{name: "overlay trusts another root key", emulator: true, check: "emulator-mode-wired", want: "not the public half",
			breakIt: func(t *testing.T, b *Bundle) {
				for _, cm := range b.ConfigMaps {
					if _, ok := cm.Data["WA_EMULATOR_ROOT_KEY"]; ok {
						cm.Data["WA_EMULATOR_ROOT_KEY"] = strings.Repeat("ab", 32)
					}
				}
			}},
		{name: "overlay dials a port the emulator Service lacks", emulator: true, check: "emulator-mode-wired",
			want: "reaches the wa-emulator pod",
			breakIt: func(t *testing.T, b *Bundle) {
				for _, cm := range b.ConfigMaps {
					if _, ok := cm.Data["WA_EMULATOR_ADDR"]; ok {
						cm.Data["WA_EMULATOR_ADDR"] = "wa-emulator:5222"
					}
				}
			}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			env := envBase
			if tc.emulator {
				env = envEmulator
			}
			chk := findCheck(t, tc.check)
			if got := chk.Run(rendered(t, env)); len(got) != 0 {
				t.Fatalf("the unbroken manifests already fail %s: %v", tc.check, got)
			}
			b, err := Parse(append(renderedBytes(t, env), tc.extra...))
			if err != nil {
				t.Fatalf("failed to parse the broken manifests: %v", err)
			}
			if tc.breakIt != nil {
				tc.breakIt(t, b)
			}
			got := chk.Run(b)
			for _, p := range got {
				if strings.Contains(p, tc.want) {
					return
				}
			}
			t.Fatalf("%s accepted the broken manifests: want a problem containing %q, got %q", tc.check, tc.want, got)
		})
	}
}
