// Package check asserts wagate's deployment invariants on the YAML that `kustomize build` renders from
// deploy/k8s. It models only the fields the invariants read; everything else in a manifest is ignored.
package check

import (
	"bytes"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"os"

	"gopkg.in/yaml.v3"
)

// Bundle is one rendered kustomization: every object, grouped by the kinds the checks care about.
type Bundle struct {
	Deployments []*Deployment
	Services    []*Service
	PDBs        []*PodDisruptionBudget
	ConfigMaps  []*ConfigMap
	Secrets     []*Secret
}

type Metadata struct {
	Name        string            `yaml:"name"`
	Labels      map[string]string `yaml:"labels"`
	Annotations map[string]string `yaml:"annotations"`
}

type Deployment struct {
	Metadata Metadata `yaml:"metadata"`
	Spec     struct {
		Replicas *int `yaml:"replicas"`
		Strategy struct {
			Type          string `yaml:"type"`
			RollingUpdate *struct {
				MaxSurge       *string `yaml:"maxSurge"`
				MaxUnavailable *string `yaml:"maxUnavailable"`
			} `yaml:"rollingUpdate"`
		} `yaml:"strategy"`
		Selector LabelSelector `yaml:"selector"`
		Template struct {
			Metadata Metadata `yaml:"metadata"`
			Spec     PodSpec  `yaml:"spec"`
		} `yaml:"template"`
	} `yaml:"spec"`
}

type LabelSelector struct {
	MatchLabels map[string]string `yaml:"matchLabels"`
}

type PodSpec struct {
	HostNetwork                   bool                `yaml:"hostNetwork"`
	Subdomain                     string              `yaml:"subdomain"`
	TerminationGracePeriodSeconds *int                `yaml:"terminationGracePeriodSeconds"`
	SecurityContext               *PodSecurityContext `yaml:"securityContext"`
	InitContainers                []*Container        `yaml:"initContainers"`
	Containers                    []*Container        `yaml:"containers"`
	Volumes                       []Volume            `yaml:"volumes"`
}

type PodSecurityContext struct {
	RunAsNonRoot   *bool           `yaml:"runAsNonRoot"`
	RunAsUser      *int64          `yaml:"runAsUser"`
	SeccompProfile *SeccompProfile `yaml:"seccompProfile"`
}

type SeccompProfile struct {
	Type string `yaml:"type"`
}

type Volume struct {
	Name     string    `yaml:"name"`
	EmptyDir *struct{} `yaml:"emptyDir"`
	Secret   *struct {
		SecretName string    `yaml:"secretName"`
		Items      []KeyPath `yaml:"items"`
	} `yaml:"secret"`
	ConfigMap *struct {
		Name  string    `yaml:"name"`
		Items []KeyPath `yaml:"items"`
	} `yaml:"configMap"`
}

type KeyPath struct {
	Key  string `yaml:"key"`
	Path string `yaml:"path"`
}

type Container struct {
	Name            string           `yaml:"name"`
	Image           string           `yaml:"image"`
	Command         []string         `yaml:"command"`
	Args            []string         `yaml:"args"`
	Env             []EnvVar         `yaml:"env"`
	EnvFrom         []EnvFromSource  `yaml:"envFrom"`
	Ports           []ContainerPort  `yaml:"ports"`
	StartupProbe    *Probe           `yaml:"startupProbe"`
	LivenessProbe   *Probe           `yaml:"livenessProbe"`
	ReadinessProbe  *Probe           `yaml:"readinessProbe"`
	Resources       Resources        `yaml:"resources"`
	SecurityContext *SecurityContext `yaml:"securityContext"`
	VolumeMounts    []VolumeMount    `yaml:"volumeMounts"`
}

type EnvVar struct {
	Name      string `yaml:"name"`
	Value     string `yaml:"value"`
	ValueFrom *struct {
		SecretKeyRef    *KeyRef `yaml:"secretKeyRef"`
		ConfigMapKeyRef *KeyRef `yaml:"configMapKeyRef"`
		FieldRef        *struct {
			FieldPath string `yaml:"fieldPath"`
		} `yaml:"fieldRef"`
	} `yaml:"valueFrom"`
}

type KeyRef struct {
	Name     string `yaml:"name"`
	Key      string `yaml:"key"`
	Optional bool   `yaml:"optional"`
}

type EnvFromSource struct {
	SecretRef *struct {
		Name string `yaml:"name"`
	} `yaml:"secretRef"`
	ConfigMapRef *struct {
		Name string `yaml:"name"`
	} `yaml:"configMapRef"`
}

type ContainerPort struct {
	Name          string `yaml:"name"`
	ContainerPort int    `yaml:"containerPort"`
	HostPort      int    `yaml:"hostPort"`
}

type Probe struct {
	HTTPGet *struct {
		Path string `yaml:"path"`
		Port string `yaml:"port"`
	} `yaml:"httpGet"`
	TCPSocket *struct {
		Port string `yaml:"port"`
	} `yaml:"tcpSocket"`
	GRPC *struct {
		Port int `yaml:"port"`
	} `yaml:"grpc"`
	Exec *struct {
		Command []string `yaml:"command"`
	} `yaml:"exec"`
}

type Resources struct {
	Requests map[string]string `yaml:"requests"`
	Limits   map[string]string `yaml:"limits"`
}

type SecurityContext struct {
	RunAsNonRoot             *bool           `yaml:"runAsNonRoot"`
	RunAsUser                *int64          `yaml:"runAsUser"`
	ReadOnlyRootFilesystem   *bool           `yaml:"readOnlyRootFilesystem"`
	AllowPrivilegeEscalation *bool           `yaml:"allowPrivilegeEscalation"`
	Privileged               *bool           `yaml:"privileged"`
	SeccompProfile           *SeccompProfile `yaml:"seccompProfile"`
	Capabilities             *struct {
		Add  []string `yaml:"add"`
		Drop []string `yaml:"drop"`
	} `yaml:"capabilities"`
}

type VolumeMount struct {
	Name      string `yaml:"name"`
	MountPath string `yaml:"mountPath"`
}

type Service struct {
	Metadata Metadata `yaml:"metadata"`
	Spec     struct {
		ClusterIP                string            `yaml:"clusterIP"`
		PublishNotReadyAddresses bool              `yaml:"publishNotReadyAddresses"`
		Selector                 map[string]string `yaml:"selector"`
		Ports                    []struct {
			Name       string `yaml:"name"`
			Port       int    `yaml:"port"`
			TargetPort string `yaml:"targetPort"`
			NodePort   int    `yaml:"nodePort"`
		} `yaml:"ports"`
	} `yaml:"spec"`
}

type PodDisruptionBudget struct {
	Metadata Metadata `yaml:"metadata"`
	Spec     struct {
		Selector       LabelSelector `yaml:"selector"`
		MinAvailable   string        `yaml:"minAvailable"`
		MaxUnavailable string        `yaml:"maxUnavailable"`
	} `yaml:"spec"`
}

type ConfigMap struct {
	Metadata Metadata          `yaml:"metadata"`
	Data     map[string]string `yaml:"data"`
}

type Secret struct {
	Metadata   Metadata          `yaml:"metadata"`
	Data       map[string]string `yaml:"data"`
	StringData map[string]string `yaml:"stringData"`
}

// Values returns the Secret's decoded values; a `data` entry that is not valid base64 is an error, because the
// API server would reject the whole object.
func (s *Secret) Values() (map[string]string, error) {
	out := make(map[string]string, len(s.Data)+len(s.StringData))
	for k, v := range s.Data {
		b, err := base64.StdEncoding.DecodeString(v)
		if err != nil {
			return nil, fmt.Errorf("secret %s key %s is not base64: %w", s.Metadata.Name, k, err)
		}
		out[k] = string(b)
	}
	for k, v := range s.StringData {
		out[k] = v
	}
	return out, nil
}

// LoadFile parses the multi-document YAML written by `kustomize build`.
func LoadFile(path string) (*Bundle, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("failed to read rendered manifests: %w", err)
	}
	return Parse(data)
}

// Parse reads every document; kinds the checks do not model are skipped, unparseable documents are errors.
func Parse(data []byte) (*Bundle, error) {
	b := &Bundle{}
	dec := yaml.NewDecoder(bytes.NewReader(data))
	for i := 0; ; i++ {
		var node yaml.Node
		err := dec.Decode(&node)
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("document %d: %w", i, err)
		}
		var head struct {
			Kind string `yaml:"kind"`
		}
		if err := node.Decode(&head); err != nil {
			return nil, fmt.Errorf("document %d: %w", i, err)
		}
		if err := b.add(head.Kind, &node); err != nil {
			return nil, fmt.Errorf("document %d (%s): %w", i, head.Kind, err)
		}
	}
	return b, nil
}

func (b *Bundle) add(kind string, node *yaml.Node) error {
	switch kind {
	case "Deployment":
		return decodeInto(node, &b.Deployments)
	case "Service":
		return decodeInto(node, &b.Services)
	case "PodDisruptionBudget":
		return decodeInto(node, &b.PDBs)
	case "ConfigMap":
		return decodeInto(node, &b.ConfigMaps)
	case "Secret":
		return decodeInto(node, &b.Secrets)
	}
	return nil // other kinds carry no invariant yet
}

func decodeInto[T any](node *yaml.Node, list *[]*T) error {
	v := new(T)
	if err := node.Decode(v); err != nil {
		return err
	}
	*list = append(*list, v)
	return nil
}

// Deployment returns the named Deployment, or nil.
func (b *Bundle) Deployment(name string) *Deployment {
	for _, d := range b.Deployments {
		if d.Metadata.Name == name {
			return d
		}
	}
	return nil
}

// Container returns the named container of the pod template, or nil.
func (d *Deployment) Container(name string) *Container {
	for _, c := range d.Spec.Template.Spec.Containers {
		if c.Name == name {
			return c
		}
	}
	return nil
}

// AllContainers lists init containers and containers of the pod template.
func (d *Deployment) AllContainers() []*Container {
	spec := d.Spec.Template.Spec
	return append(append([]*Container{}, spec.InitContainers...), spec.Containers...)
}

func (b *Bundle) configMap(name string) *ConfigMap {
	for _, c := range b.ConfigMaps {
		if c.Metadata.Name == name {
			return c
		}
	}
	return nil
}

func (b *Bundle) secret(name string) *Secret {
	for _, s := range b.Secrets {
		if s.Metadata.Name == name {
			return s
		}
	}
	return nil
}
