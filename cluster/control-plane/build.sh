#!/usr/bin/env bash
# Builds the real control plane the cluster tests run on, from the Go module proxy: etcd,
# kube-apiserver, kube-controller-manager, kube-scheduler, kubectl, kwok, kwokctl and helm, at the
# versions pinned by the go.mod/go.sum files beside this script; and takes the Prometheus
# Operator's CRDs from its module's source (for the chart's ServiceMonitor and PrometheusRule).
#
#   cluster/control-plane/build.sh            build what is missing; print the bin directory
#   cluster/control-plane/build.sh --check    print the bin directory if it is built, else exit 1
#
# The binaries land in ~/.cache/fluxops/control-plane/<versions>-<hash>/bin and the CRDs in
# .../crds (FLUXOPS_CACHE moves ~/.cache/fluxops), keyed by the pinned versions, a hash of the
# wrapper modules and the recipe number below, so a second run reuses them in well under a second
# and a change of version builds a new directory beside the old one. A build goes to a temporary
# directory first and is renamed into place when everything is there, so a killed build never
# leaves a half-built cache; concurrent builds wait on a lock.
# Progress goes to stderr; stdout carries only the bin directory.
#
# Exit codes: 0 built or reused; 1 --check found nothing; 3 no Go toolchain on this machine
# (the cluster tests are skipped then, with this script's message); other: the build failed.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
modules=(etcd kubernetes kwok helm prometheus-operator)
# Bump when the way of building changes (flags, layout), so caches of the old recipe are not reused.
recipe=2

if ! command -v go >/dev/null 2>&1; then
  echo "fluxops: no Go toolchain on PATH: install Go 1.26 (https://go.dev/dl/) to build the control plane for the cluster tests" >&2
  exit 3
fi

# The versions, read from the wrapper modules so that they are written down once.
version_of() { # module-dir module-path
  awk -v m="$2" '$1 == m && $2 ~ /^v/ {print $2; exit} $1 == "require" && $2 == m {print $3; exit}' "$here/$1/go.mod"
}
k8s_version=$(version_of kubernetes k8s.io/kubernetes)
etcd_version=$(version_of etcd go.etcd.io/etcd/server/v3)
kwok_version=$(version_of kwok sigs.k8s.io/kwok)
helm_version=$(version_of helm helm.sh/helm/v3)
go_version=$(go env GOVERSION)
hash=$( (echo "$recipe" && cd "$here" && cat "${modules[@]/%//go.mod}" "${modules[@]/%//go.sum}") | sha256sum | cut -c1-12)
key="k8s-$k8s_version-etcd-$etcd_version-kwok-$kwok_version-helm-$helm_version-$go_version-$hash"
cache_root=${FLUXOPS_CACHE:-$HOME/.cache/fluxops}/control-plane
bin="$cache_root/$key/bin"
binaries=(etcd kube-apiserver kube-controller-manager kube-scheduler kubectl kwok kwokctl helm)
crds=(servicemonitors podmonitors prometheusrules)

complete() {
  local b c
  for b in "${binaries[@]}"; do [ -x "$bin/$b" ] || return 1; done
  for c in "${crds[@]}"; do [ -f "$bin/../crds/monitoring.coreos.com_$c.yaml" ] || return 1; done
}

if complete; then
  echo "$bin"
  exit 0
fi
if [ "${1:-}" = "--check" ]; then
  exit 1
fi

mkdir -p "$cache_root"
exec 9>"$cache_root/.lock"
if ! flock -n 9; then
  echo "fluxops: waiting for another build of the control plane to finish ($cache_root/.lock)" >&2
  flock 9
fi
if complete; then # another process built it while this one waited
  echo "$bin"
  exit 0
fi

stage=$(mktemp -d "$cache_root/.build-XXXXXX")
mkdir -p "$stage/bin" "$stage/crds"
trap 'rm -rf "$stage"' EXIT
started=$(date +%s)
echo "fluxops: building the control plane into $bin (a cold build takes tens of minutes on 2 cores)" >&2

# kubectl, kwokctl and the Kubernetes components read their version from these variables; kwokctl
# chooses flags by the version the binaries print, and kubectl warns on a skewed server.
stamp() { # package version
  local minor=${2#v1.}
  minor=${minor%%.*}
  printf -- '-X %s.gitVersion=%s -X %s.gitMajor=1 -X %s.gitMinor=%s -X %s.gitTreeState=clean -X %s.buildDate=1970-01-01T00:00:00Z ' \
    "$1" "$2" "$1" "$1" "$minor" "$1" "$1"
}
k8s_ldflags="-s -w $(stamp k8s.io/component-base/version "$k8s_version")$(stamp k8s.io/client-go/pkg/version "$k8s_version")"
helm_ldflags="-s -w -X helm.sh/helm/v3/internal/version.version=$helm_version -X helm.sh/helm/v3/internal/version.gitTreeState=clean"
# kwokctl's default Kubernetes version is the one built here, so nothing it picks needs a download.
kwok_ldflags="-s -w -X sigs.k8s.io/kwok/pkg/consts.Version=${kwok_version#v} -X sigs.k8s.io/kwok/pkg/consts.KubeVersion=${k8s_version#v}"

build() { # module-dir ldflags output package...
  local dir=$1 ldflags=$2 output=$3
  shift 3
  echo "fluxops: go build $* ($(($(date +%s) - started)) s so far)" >&2
  (cd "$here/$dir" && GOFLAGS=-mod=readonly CGO_ENABLED=0 go build -trimpath -ldflags "$ldflags" -o "$output" "$@")
}
build etcd "-s -w" "$stage/bin/etcd" go.etcd.io/etcd/server/v3
build kubernetes "$k8s_ldflags" "$stage/bin/" \
  k8s.io/kubernetes/cmd/kube-apiserver k8s.io/kubernetes/cmd/kube-controller-manager \
  k8s.io/kubernetes/cmd/kube-scheduler k8s.io/kubernetes/cmd/kubectl
build kwok "$kwok_ldflags" "$stage/bin/" sigs.k8s.io/kwok/cmd/kwok sigs.k8s.io/kwok/cmd/kwokctl
build helm "$helm_ldflags" "$stage/bin/" helm.sh/helm/v3/cmd/helm

operator_source=$(cd "$here/prometheus-operator" && GOFLAGS=-mod=readonly go mod download -json \
  github.com/prometheus-operator/prometheus-operator | awk -F'"' '$2 == "Dir" {print $4}')
for c in "${crds[@]}"; do
  cp "$operator_source/example/prometheus-operator-crd/monitoring.coreos.com_$c.yaml" "$stage/crds/"
done

rm -rf "${cache_root:?}/$key"
mv "$stage" "$cache_root/$key"
trap - EXIT
echo "fluxops: control plane built in $(($(date +%s) - started)) s: $(du -sh "$bin" | cut -f1) of binaries," \
  "Go caches $(du -sh "$(go env GOMODCACHE)" 2>/dev/null | cut -f1) (modules) and $(du -sh "$(go env GOCACHE)" 2>/dev/null | cut -f1) (build)" >&2
echo "$bin"
