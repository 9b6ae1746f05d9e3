package check

import (
	"fmt"
	"net"
	"regexp"
	"slices"
	"strconv"
	"strings"
)

// Names the manifests and the rest of wagate agree on.
const (
	AppDeployment      = "wagate"
	GatewayContainer   = "gateway"
	SidecarContainer   = "sidecar"
	EmulatorDeployment = "wa-emulator"

	// TestOnlyAnnotation marks a Secret whose values are published test values (emulator overlay), not secrets.
	TestOnlyAnnotation = "wagate.io/published-test-values"
	// PlaceholderMarker must appear in every other Secret value committed to the repository.
	PlaceholderMarker = "REPLACE_ME"
)

// Check is one invariant; Run returns one line per violation, none when the bundle satisfies it.
type Check struct {
	Name string
	Run  func(b *Bundle) []string
}

// BaseChecks hold for every rendering: the production base and every overlay.
var BaseChecks = []Check{
	{"gateway-probes", checkGatewayProbes},
	{"sidecar-probes", checkSidecarProbes},
	{"non-root-hardened", checkHardened},
	{"sidecar-loopback", checkSidecarLoopback},
	{"sidecar-not-exposed", checkSidecarNotExposed},
	{"references-resolve", checkReferences},
	{"resources-set", checkResources},
	{"scale-out", checkScaleOut},
	{"secrets-are-placeholders", checkSecretsArePlaceholders},
}

// appPod returns the wagate Deployment and its two containers, or the reason they are missing.
func appPod(b *Bundle) (*Deployment, *Container, *Container, []string) {
	d := b.Deployment(AppDeployment)
	if d == nil {
		return nil, nil, nil, []string{fmt.Sprintf("no Deployment %q rendered", AppDeployment)}
	}
	var problems []string
	gw, sc := d.Container(GatewayContainer), d.Container(SidecarContainer)
	if gw == nil {
		problems = append(problems, fmt.Sprintf("Deployment %q has no container %q", AppDeployment, GatewayContainer))
	}
	if sc == nil {
		problems = append(problems, fmt.Sprintf("Deployment %q has no container %q", AppDeployment, SidecarContainer))
	}
	return d, gw, sc, problems
}

func checkGatewayProbes(b *Bundle) []string {
	_, gw, _, problems := appPod(b)
	if gw == nil {
		return problems
	}
	want := []struct {
		kind  string
		probe *Probe
		path  string
	}{
		{"liveness", gw.LivenessProbe, "/q/health/live"},
		{"readiness", gw.ReadinessProbe, "/q/health/ready"},
	}
	for _, w := range want {
		switch {
		case w.probe == nil:
			problems = append(problems, fmt.Sprintf("gateway has no %s probe", w.kind))
		case w.probe.HTTPGet == nil:
			problems = append(problems, fmt.Sprintf("gateway %s probe is not an httpGet on %s", w.kind, w.path))
		case w.probe.HTTPGet.Path != w.path:
			problems = append(problems, fmt.Sprintf("gateway %s probe path is %q, want %q", w.kind, w.probe.HTTPGet.Path, w.path))
		case !hasPort(gw, w.probe.HTTPGet.Port):
			problems = append(problems, fmt.Sprintf("gateway %s probe port %q is not a gateway container port", w.kind, w.probe.HTTPGet.Port))
		case !isManagementPort(gw, w.probe.HTTPGet.Port):
			// /q/* is served on the management interface only (quarkus.management.port); the API port answers 404 there
			problems = append(problems, fmt.Sprintf("gateway %s probe port %q is not the management port %d", w.kind, w.probe.HTTPGet.Port, GatewayManagementPort))
		}
	}
	return problems
}

// GatewayManagementPort is quarkus.management.port in application.properties: /q/* lives there, not on the API port.
const GatewayManagementPort = 9000

// isManagementPort tells whether ref (a port name or number) is the container's management port.
func isManagementPort(c *Container, ref string) bool {
	for _, p := range c.Ports {
		if (p.Name == ref || strconv.Itoa(p.ContainerPort) == ref) && p.ContainerPort == GatewayManagementPort {
			return true
		}
	}
	return false
}

// hasPort tells whether ref (a port name or number) is declared by the container.
func hasPort(c *Container, ref string) bool {
	for _, p := range c.Ports {
		if p.Name == ref || strconv.Itoa(p.ContainerPort) == ref {
			return true
		}
	}
	return false
}

// sidecarListen returns the --listen value the sidecar is started with.
func sidecarListen(c *Container) (string, error) {
	argv := append(append([]string{}, c.Command...), c.Args...)
	for i, a := range argv {
		if v, ok := strings.CutPrefix(a, "--listen="); ok {
			return v, nil
		}
		if a == "--listen" && i+1 < len(argv) {
			return argv[i+1], nil
		}
	}
	return "", fmt.Errorf("sidecar has no explicit --listen flag")
}

// loopbackOnly reports whether a listen address is reachable from inside the pod only.
func loopbackOnly(addr string) bool {
	if strings.HasPrefix(addr, "unix://") {
		return true
	}
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return false
	}
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

func checkSidecarProbes(b *Bundle) []string {
	_, _, sc, problems := appPod(b)
	if sc == nil {
		return problems
	}
	listen, err := sidecarListen(sc)
	if err != nil {
		return append(problems, err.Error())
	}
	if sc.LivenessProbe == nil {
		problems = append(problems, "sidecar has no liveness probe")
	}
	if sc.ReadinessProbe == nil {
		problems = append(problems, "sidecar has no readiness probe")
	}
	for kind, p := range map[string]*Probe{"startup": sc.StartupProbe, "liveness": sc.LivenessProbe, "readiness": sc.ReadinessProbe} {
		if p == nil || !loopbackOnly(listen) {
			continue
		}
		// The kubelet's grpc, httpGet and tcpSocket probes dial the pod IP; a loopback listener never answers them.
		if p.GRPC != nil || p.HTTPGet != nil || p.TCPSocket != nil {
			problems = append(problems, fmt.Sprintf("sidecar %s probe dials the pod IP but the sidecar listens on %s only", kind, listen))
			continue
		}
		if p.Exec == nil || !slices.Contains(p.Exec.Command, "-addr="+listen) {
			problems = append(problems, fmt.Sprintf("sidecar %s probe is not an exec health check of -addr=%s", kind, listen))
		}
	}
	return problems
}

func checkHardened(b *Bundle) []string {
	var problems []string
	for _, d := range b.Deployments {
		pod := d.Spec.Template.Spec
		psc := pod.SecurityContext
		if psc == nil {
			psc = &PodSecurityContext{}
		}
		for _, c := range d.AllContainers() {
			where := fmt.Sprintf("%s/%s", d.Metadata.Name, c.Name)
			sc := c.SecurityContext
			if sc == nil {
				problems = append(problems, where+": no securityContext")
				continue
			}
			nonRoot := psc.RunAsNonRoot
			if sc.RunAsNonRoot != nil {
				nonRoot = sc.RunAsNonRoot
			}
			if nonRoot == nil || !*nonRoot {
				problems = append(problems, where+": runAsNonRoot is not true")
			}
			user := psc.RunAsUser
			if sc.RunAsUser != nil {
				user = sc.RunAsUser
			}
			if user != nil && *user == 0 {
				problems = append(problems, where+": runAsUser is 0 (root)")
			}
			if sc.ReadOnlyRootFilesystem == nil || !*sc.ReadOnlyRootFilesystem {
				problems = append(problems, where+": readOnlyRootFilesystem is not true")
			}
			if sc.AllowPrivilegeEscalation == nil || *sc.AllowPrivilegeEscalation {
				problems = append(problems, where+": allowPrivilegeEscalation is not false")
			}
			if sc.Privileged != nil && *sc.Privileged {
				problems = append(problems, where+": privileged")
			}
			if sc.Capabilities == nil || !slices.Contains(sc.Capabilities.Drop, "ALL") {
				problems = append(problems, where+": capabilities do not drop ALL")
			} else if len(sc.Capabilities.Add) > 0 {
				problems = append(problems, where+": capabilities add "+strings.Join(sc.Capabilities.Add, ","))
			}
			seccomp := psc.SeccompProfile
			if sc.SeccompProfile != nil {
				seccomp = sc.SeccompProfile
			}
			if seccomp == nil || (seccomp.Type != "RuntimeDefault" && seccomp.Type != "Localhost") {
				problems = append(problems, where+": seccompProfile is not RuntimeDefault")
			}
		}
	}
	return problems
}

func checkSidecarLoopback(b *Bundle) []string {
	_, gw, sc, problems := appPod(b)
	if gw == nil || sc == nil {
		return problems
	}
	listen, err := sidecarListen(sc)
	if err != nil {
		return append(problems, err.Error())
	}
	if !loopbackOnly(listen) {
		return append(problems, fmt.Sprintf("sidecar listens on %s, not on the loopback interface", listen))
	}
	// The gateway must dial exactly that listener.
	_, port, _ := net.SplitHostPort(listen)
	host := envValue(gw, "QUARKUS_GRPC_CLIENTS_SIDECAR_HOST")
	if ip := net.ParseIP(host); ip == nil || !ip.IsLoopback() {
		problems = append(problems, fmt.Sprintf("gateway QUARKUS_GRPC_CLIENTS_SIDECAR_HOST is %q, want a loopback address", host))
	}
	if got := envValue(gw, "QUARKUS_GRPC_CLIENTS_SIDECAR_PORT"); got != port {
		problems = append(problems, fmt.Sprintf("gateway QUARKUS_GRPC_CLIENTS_SIDECAR_PORT is %q, sidecar listens on port %q", got, port))
	}
	return problems
}

// envValue returns the literal value of a container env var ("" when absent or not literal).
func envValue(c *Container, name string) string {
	for _, e := range c.Env {
		if e.Name == name {
			return e.Value
		}
	}
	return ""
}

func checkSidecarNotExposed(b *Bundle) []string {
	d, _, sc, problems := appPod(b)
	if sc == nil {
		return problems
	}
	if d.Spec.Template.Spec.HostNetwork {
		problems = append(problems, "wagate pod uses hostNetwork: its loopback would be the node's")
	}
	for _, p := range sc.Ports {
		problems = append(problems, fmt.Sprintf("sidecar declares container port %d (%q); it must stay unnamed and loopback-only", p.ContainerPort, p.Name))
	}
	listen, err := sidecarListen(sc)
	if err != nil {
		return append(problems, err.Error())
	}
	_, port, _ := net.SplitHostPort(listen)
	for _, s := range b.Services {
		if !selects(s.Spec.Selector, d.Spec.Template.Metadata.Labels) {
			continue
		}
		for _, p := range s.Spec.Ports {
			target := p.TargetPort
			if target == "" {
				target = strconv.Itoa(p.Port) // Kubernetes defaults targetPort to port
			}
			if port != "" && (target == port || strconv.Itoa(p.Port) == port) {
				problems = append(problems, fmt.Sprintf("Service %s exposes the sidecar's gRPC port %s", s.Metadata.Name, port))
			}
		}
	}
	return problems
}

// selects reports whether a non-empty selector matches the labels.
func selects(selector, labels map[string]string) bool {
	if len(selector) == 0 {
		return false
	}
	for k, v := range selector {
		if labels[k] != v {
			return false
		}
	}
	return true
}

// varRef finds $(NAME) references; $$(NAME) is Kubernetes' escape for a literal and is skipped.
var varRef = regexp.MustCompile(`\$?\$\(([A-Za-z_][A-Za-z0-9_]*)\)`)

func refsIn(s string) []string {
	var names []string
	for _, m := range varRef.FindAllStringSubmatch(s, -1) {
		if !strings.HasPrefix(m[0], "$$") {
			names = append(names, m[1])
		}
	}
	return names
}

func checkReferences(b *Bundle) []string {
	var problems []string
	for _, d := range b.Deployments {
		for _, c := range d.AllContainers() {
			where := fmt.Sprintf("%s/%s", d.Metadata.Name, c.Name)
			defined := map[string]bool{}
			for _, ef := range c.EnvFrom {
				if ef.ConfigMapRef != nil {
					if cm := b.configMap(ef.ConfigMapRef.Name); cm == nil {
						problems = append(problems, fmt.Sprintf("%s: envFrom ConfigMap %q is not rendered", where, ef.ConfigMapRef.Name))
					} else {
						for k := range cm.Data {
							defined[k] = true
						}
					}
				}
				if ef.SecretRef != nil {
					if s := b.secret(ef.SecretRef.Name); s == nil {
						problems = append(problems, fmt.Sprintf("%s: envFrom Secret %q is not rendered", where, ef.SecretRef.Name))
					} else {
						vals, _ := s.Values()
						for k := range vals {
							defined[k] = true
						}
					}
				}
			}
			for _, e := range c.Env {
				// Kubernetes expands $(VAR) in a value only from variables defined before it.
				for _, ref := range refsIn(e.Value) {
					if !defined[ref] {
						problems = append(problems, fmt.Sprintf("%s: env %s refers to $(%s), not defined before it", where, e.Name, ref))
					}
				}
				if e.ValueFrom != nil {
					problems = append(problems, b.keyRefProblems(where, e.Name, e.ValueFrom.SecretKeyRef, e.ValueFrom.ConfigMapKeyRef)...)
				}
				defined[e.Name] = true
			}
			for _, a := range append(append([]string{}, c.Command...), c.Args...) {
				for _, ref := range refsIn(a) {
					if !defined[ref] {
						problems = append(problems, fmt.Sprintf("%s: argument %q refers to $(%s), which the container does not define", where, a, ref))
					}
				}
			}
		}
		for _, v := range d.Spec.Template.Spec.Volumes {
			problems = append(problems, b.volumeProblems(d.Metadata.Name, v)...)
		}
	}
	return problems
}

func (b *Bundle) keyRefProblems(where, env string, secretRef, configMapRef *KeyRef) []string {
	var problems []string
	if secretRef != nil {
		s := b.secret(secretRef.Name)
		if s == nil {
			return append(problems, fmt.Sprintf("%s: env %s: Secret %q is not rendered", where, env, secretRef.Name))
		}
		vals, err := s.Values()
		if err != nil {
			return append(problems, fmt.Sprintf("%s: env %s: %v", where, env, err))
		}
		if _, ok := vals[secretRef.Key]; !ok {
			problems = append(problems, fmt.Sprintf("%s: env %s: Secret %q has no key %q", where, env, secretRef.Name, secretRef.Key))
		}
	}
	if configMapRef != nil {
		cm := b.configMap(configMapRef.Name)
		if cm == nil {
			return append(problems, fmt.Sprintf("%s: env %s: ConfigMap %q is not rendered", where, env, configMapRef.Name))
		}
		if _, ok := cm.Data[configMapRef.Key]; !ok {
			problems = append(problems, fmt.Sprintf("%s: env %s: ConfigMap %q has no key %q", where, env, configMapRef.Name, configMapRef.Key))
		}
	}
	return problems
}

func (b *Bundle) volumeProblems(deployment string, v Volume) []string {
	var problems []string
	if v.Secret != nil {
		s := b.secret(v.Secret.SecretName)
		if s == nil {
			return []string{fmt.Sprintf("%s: volume %s: Secret %q is not rendered", deployment, v.Name, v.Secret.SecretName)}
		}
		vals, _ := s.Values()
		for _, it := range v.Secret.Items {
			if _, ok := vals[it.Key]; !ok {
				problems = append(problems, fmt.Sprintf("%s: volume %s: Secret %q has no key %q", deployment, v.Name, v.Secret.SecretName, it.Key))
			}
		}
	}
	if v.ConfigMap != nil {
		cm := b.configMap(v.ConfigMap.Name)
		if cm == nil {
			return []string{fmt.Sprintf("%s: volume %s: ConfigMap %q is not rendered", deployment, v.Name, v.ConfigMap.Name)}
		}
		for _, it := range v.ConfigMap.Items {
			if _, ok := cm.Data[it.Key]; !ok {
				problems = append(problems, fmt.Sprintf("%s: volume %s: ConfigMap %q has no key %q", deployment, v.Name, v.ConfigMap.Name, it.Key))
			}
		}
	}
	return problems
}

func checkResources(b *Bundle) []string {
	var problems []string
	for _, d := range b.Deployments {
		for _, c := range d.AllContainers() {
			for _, set := range []struct {
				name string
				m    map[string]string
			}{{"requests", c.Resources.Requests}, {"limits", c.Resources.Limits}} {
				for _, res := range []string{"cpu", "memory"} {
					if strings.TrimSpace(set.m[res]) == "" {
						problems = append(problems, fmt.Sprintf("%s/%s: resources.%s.%s is not set", d.Metadata.Name, c.Name, set.name, res))
					}
				}
			}
		}
	}
	return problems
}

func checkSecretsArePlaceholders(b *Bundle) []string {
	var problems []string
	for _, s := range b.Secrets {
		if _, ok := s.Metadata.Annotations[TestOnlyAnnotation]; ok {
			continue
		}
		vals, err := s.Values()
		if err != nil {
			problems = append(problems, err.Error())
			continue
		}
		for k, v := range vals {
			if !strings.Contains(v, PlaceholderMarker) {
				problems = append(problems, fmt.Sprintf("Secret %s key %s holds a value without %s: real secrets never go into the repository", s.Metadata.Name, k, PlaceholderMarker))
			}
		}
	}
	return problems
}

// checkPostgresTLSVerified: both containers talk to PostgreSQL with verify-full and a CA file, and the sidecar's DSN
// carries both, so neither side can fall back to an unverified or plain connection by default.
func checkPostgresTLSVerified(b *Bundle) []string {
	_, gw, sc, problems := appPod(b)
	if problems != nil {
		return problems
	}
	for _, c := range []*Container{gw, sc} {
		if mode, err := b.envResolved(c, "PG_SSLMODE"); err != nil || mode != "verify-full" {
			problems = append(problems, fmt.Sprintf("%s: PG_SSLMODE is %q (%v), want verify-full", c.Name, mode, err))
		}
		if ca, err := b.envResolved(c, "PG_SSLROOTCERT"); err != nil || ca == "" {
			problems = append(problems, fmt.Sprintf("%s: PG_SSLROOTCERT is not set (%v): verify-full needs the CA of the server certificate", c.Name, err))
		}
	}
	dsn := envValue(sc, "WAGATE_SIDECAR_DB")
	if !strings.Contains(dsn, "sslmode=$(PG_SSLMODE)") || !strings.Contains(dsn, "sslrootcert='$(PG_SSLROOTCERT)'") {
		problems = append(problems, fmt.Sprintf("sidecar: WAGATE_SIDECAR_DB %q does not carry sslmode=$(PG_SSLMODE) and sslrootcert='$(PG_SSLROOTCERT)'", dsn))
	}
	return problems
}
