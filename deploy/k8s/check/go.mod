module github.com/wagate/wagate/deploy/k8s/check

go 1.26.8

require gopkg.in/yaml.v3 v3.0.1
