#!/usr/bin/env bash
# Builds the pinned test control plane (kube-apiserver, kubectl, etcd, helm) from Go modules,
# once, into the layout kube-api-test reads offline:
#   $KUBE_API_TEST_DIR/k8s/<version>-linux-amd64/{kube-apiserver,etcd,kubectl}
# plus $KUBE_API_TEST_DIR/bin/helm. Does nothing when everything is already there.
# Prints the binary directory on stdout (all build chatter goes to stderr).
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
cp_dir="$root/controlplane"
kube_version=$(sed -n 's/^require k8s.io\/kubernetes v//p' "$cp_dir/kubernetes/go.mod")
cache="${KUBE_API_TEST_DIR:-$HOME/.cache/gpu-reservation-operator/kube-api-test}"
bin_dir="$cache/k8s/${kube_version}-linux-amd64"
helm_dir="$cache/bin"
mkdir -p "$bin_dir" "$helm_dir"

# Stamp the Kubernetes version as its own release build does, so /version, kubectl and Helm's
# kubeVersion checks see v1.X.Y rather than v0.0.0.
kube_ldflags="-s -w"
for pkg in k8s.io/component-base/version k8s.io/client-go/pkg/version; do
  kube_ldflags+=" -X $pkg.gitVersion=v$kube_version -X $pkg.gitMajor=${kube_version%%.*}"
  kube_ldflags+=" -X $pkg.gitMinor=$(cut -d. -f2 <<<"$kube_version") -X $pkg.gitTreeState=clean"
done

# build <module dir> <package> <output> [ldflags]; skipped when the output exists and is newer
# than go.sum.
build() {
  local module=$1 package=$2 out=$3 ldflags=${4:--s -w}
  if [[ -x "$out" && "$out" -nt "$cp_dir/$module/go.sum" ]]; then
    return 0
  fi
  echo "controlplane: building $(basename "$out") from $package (first build takes minutes)" >&2
  (cd "$cp_dir/$module" && CGO_ENABLED=0 go build -trimpath -ldflags="$ldflags" -o "$out.tmp" "$package")
  mv "$out.tmp" "$out"
}

build kubernetes k8s.io/kubernetes/cmd/kube-apiserver "$bin_dir/kube-apiserver" "$kube_ldflags" &
kube_pid=$!
build etcd go.etcd.io/etcd/server/v3 "$bin_dir/etcd"
build helm helm.sh/helm/v3/cmd/helm "$helm_dir/helm"
wait "$kube_pid"
build kubernetes k8s.io/kubernetes/cmd/kubectl "$bin_dir/kubectl" "$kube_ldflags"

echo "$bin_dir"
