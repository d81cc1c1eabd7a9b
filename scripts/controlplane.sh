#!/usr/bin/env bash
# Builds the pinned test cluster (kube-apiserver, kube-controller-manager, kube-scheduler,
# kubectl, etcd, kwok, helm) from Go modules, once, into the layout kube-api-test reads offline:
#   $KUBE_API_TEST_DIR/k8s/<version>-linux-amd64/{kube-apiserver,etcd,kubectl,
#                                                kube-controller-manager,kube-scheduler}
# plus $KUBE_API_TEST_DIR/bin/{helm,kwok}. Does nothing when everything is already there.
# Prints the binary directory on stdout (all build chatter goes to stderr).
#
# The pinned versions live in controlplane/{kubernetes,etcd,helm,kwok}/go.mod. A binary is rebuilt
# only when its module's go.mod/go.sum or link flags change (a stamp file beside the binary
# records their hash), so a fresh clone on a machine with a warm cache builds nothing.
# A first build on 2 cores takes about 15 minutes (see README); Go's own build cache makes a
# rebuild after a version bump faster.
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

# Helm 4 derives its default Kubernetes version (for `helm template`/`lint`) from the client-go
# module it was built with; only its own version comes from link flags.
helm_version=$(sed -n 's/^require helm.sh\/helm\/v4 \(v[^ ]*\)$/\1/p' "$cp_dir/helm/go.mod")
helm_ldflags="-s -w -X helm.sh/helm/v4/internal/version.version=$helm_version"

# stamp <module dir> <ldflags>: what a binary was built from.
stamp() {
  cat "$cp_dir/$1/go.mod" "$cp_dir/$1/go.sum" <(echo "$2") | sha256sum | cut -d' ' -f1
}

# up_to_date <module dir> <output> <ldflags>
up_to_date() {
  local want
  want=$(stamp "$1" "$3")
  [[ -x "$2" && -f "$2.stamp" && "$(cat "$2.stamp")" == "$want" ]]
}

need_go() {
  if ! command -v go >/dev/null 2>&1; then
    if [[ -x /usr/local/go/bin/go ]]; then
      export PATH="$PATH:/usr/local/go/bin"
    else
      echo "controlplane: Go >= 1.26 (kwok v0.8.0 needs it) is required to build the test cluster: install Go, then run bash scripts/controlplane.sh" >&2
      exit 1
    fi
  fi
}

# build <module dir> <package> <output> [ldflags]
build() {
  local module=$1 package=$2 out=$3 ldflags=${4:--s -w}
  if up_to_date "$module" "$out" "$ldflags"; then
    return 0
  fi
  need_go
  echo "controlplane: building $(basename "$out") from $package (first build takes minutes)" >&2
  if ! (cd "$cp_dir/$module" && CGO_ENABLED=0 go build -trimpath -ldflags="$ldflags" -o "$out.tmp" "$package"); then
    echo "controlplane: building $(basename "$out") from $package failed (module controlplane/$module)." >&2
    echo "controlplane: fix the cause above, then rebuild with: bash scripts/controlplane.sh" >&2
    exit 1
  fi
  mv "$out.tmp" "$out"
  stamp "$module" "$ldflags" >"$out.stamp"
}

start=$SECONDS
build kubernetes k8s.io/kubernetes/cmd/kube-apiserver "$bin_dir/kube-apiserver" "$kube_ldflags" &
kube_pid=$!
build etcd go.etcd.io/etcd/server/v3 "$bin_dir/etcd"
build helm helm.sh/helm/v4/cmd/helm "$helm_dir/helm" "$helm_ldflags"
wait "$kube_pid"
build kubernetes k8s.io/kubernetes/cmd/kubectl "$bin_dir/kubectl" "$kube_ldflags"
build kubernetes k8s.io/kubernetes/cmd/kube-scheduler "$bin_dir/kube-scheduler" "$kube_ldflags"
build kubernetes k8s.io/kubernetes/cmd/kube-controller-manager "$bin_dir/kube-controller-manager" "$kube_ldflags"
build kwok sigs.k8s.io/kwok/cmd/kwok "$helm_dir/kwok"
if ((SECONDS - start > 5)); then
  echo "controlplane: ready in $((SECONDS - start)) s" >&2
fi

echo "$bin_dir"
