package check

import (
	"fmt"
	"regexp"
	"strconv"
)

// MinGracePeriodSeconds covers the SIGTERM hand-over (the gateway waits up to 10 s to disconnect and release its
// instances) plus the sidecar's own 10 s disconnect-all fallback.
const MinGracePeriodSeconds = 30

// advertisedURL is the form the pods register for forwarding: their own name under the headless Service.
var advertisedURL = regexp.MustCompile(`^http://\$\(POD_NAME\)\.([a-z0-9-]+)\.\$\(POD_NAMESPACE\)\.svc(?:\.cluster\.local)?:(\d+)$`)

// checkScaleOut: more than one pod is safe only with leases on (otherwise two sidecars log the same device in and
// kick each other off), each pod must be reachable by the others under the address it registers, and a rollout or a
// drain must hand instances over one pod at a time.
func checkScaleOut(b *Bundle) []string {
	d, gw, _, problems := appPod(b)
	if d == nil || gw == nil {
		return problems
	}
	replicas := 1
	if d.Spec.Replicas != nil {
		replicas = *d.Spec.Replicas
	}
	if replicas < 2 {
		problems = append(problems, fmt.Sprintf("wagate Deployment runs %d replica(s); want at least 2, so losing or rolling a pod never leaves its instances without an owner", replicas))
	}
	env := map[string]EnvVar{}
	for _, e := range gw.Env {
		env[e.Name] = e
	}
	if env["WAGATE_CLUSTER_ENABLED"].Value != "true" {
		problems = append(problems, "gateway: WAGATE_CLUSTER_ENABLED is not \"true\"; several pods without leases log the same device in twice")
	}
	for name, path := range map[string]string{"POD_NAME": "metadata.name", "POD_NAMESPACE": "metadata.namespace"} {
		if e := env[name]; e.ValueFrom == nil || e.ValueFrom.FieldRef == nil || e.ValueFrom.FieldRef.FieldPath != path {
			problems = append(problems, fmt.Sprintf("gateway: env %s must come from fieldRef %s", name, path))
		}
	}
	problems = append(problems, forwardingProblems(b, d, gw, env["WAGATE_CLUSTER_ADVERTISED_URL"].Value)...)
	if d.Spec.Strategy.Type != "RollingUpdate" || d.Spec.Strategy.RollingUpdate == nil || d.Spec.Strategy.RollingUpdate.MaxUnavailable == nil ||
		*d.Spec.Strategy.RollingUpdate.MaxUnavailable != "0" {
		problems = append(problems, "wagate Deployment must roll with RollingUpdate and maxUnavailable: 0, so a new pod holds its share before an old one hands over")
	}
	if g := d.Spec.Template.Spec.TerminationGracePeriodSeconds; g == nil || *g < MinGracePeriodSeconds {
		problems = append(problems, fmt.Sprintf("terminationGracePeriodSeconds must be at least %d for the SIGTERM hand-over", MinGracePeriodSeconds))
	}
	return append(problems, budgetProblems(b, d, replicas)...)
}

// forwardingProblems: the advertised URL names this pod under a headless Service that selects it, publishes it
// before it is ready, and serves the gateway's HTTP port.
func forwardingProblems(b *Bundle, d *Deployment, gw *Container, url string) []string {
	m := advertisedURL.FindStringSubmatch(url)
	if m == nil {
		return []string{fmt.Sprintf("gateway: WAGATE_CLUSTER_ADVERTISED_URL %q is not http://$(POD_NAME).<headless service>.$(POD_NAMESPACE).svc:<port>", url)}
	}
	svcName, port := m[1], m[2]
	var problems []string
	if d.Spec.Template.Spec.Subdomain != svcName {
		problems = append(problems, fmt.Sprintf("pod subdomain is %q; the advertised URL needs %q, or the pod's name does not resolve", d.Spec.Template.Spec.Subdomain, svcName))
	}
	var svc *Service
	for _, s := range b.Services {
		if s.Metadata.Name == svcName {
			svc = s
		}
	}
	if svc == nil {
		return append(problems, fmt.Sprintf("no Service %q rendered for the advertised URL", svcName))
	}
	if svc.Spec.ClusterIP != "None" {
		problems = append(problems, fmt.Sprintf("Service %q must be headless (clusterIP: None)", svcName))
	}
	if !svc.Spec.PublishNotReadyAddresses {
		problems = append(problems, fmt.Sprintf("Service %q must publish not-ready pods: a pod still taking its share already owns instances", svcName))
	}
	if !selects(svc.Spec.Selector, d.Spec.Template.Metadata.Labels) {
		problems = append(problems, fmt.Sprintf("Service %q does not select the wagate pod", svcName))
	}
	served := false
	for _, p := range gw.Ports {
		if strconv.Itoa(p.ContainerPort) == port && p.Name == "http" {
			served = true
		}
	}
	if !served {
		problems = append(problems, fmt.Sprintf("the advertised port %s is not the gateway's http port", port))
	}
	return problems
}

// budgetProblems: a PodDisruptionBudget selects the pod and lets a drain evict one pod at a time.
func budgetProblems(b *Bundle, d *Deployment, replicas int) []string {
	for _, p := range b.PDBs {
		if !selects(p.Spec.Selector.MatchLabels, d.Spec.Template.Metadata.Labels) {
			continue
		}
		if p.Spec.MaxUnavailable == "1" || (p.Spec.MinAvailable != "" && p.Spec.MinAvailable == strconv.Itoa(replicas-1)) {
			return nil
		}
		return []string{fmt.Sprintf("PodDisruptionBudget %q must allow exactly one pod down at a time", p.Metadata.Name)}
	}
	return []string{"no PodDisruptionBudget selects the wagate pod"}
}
