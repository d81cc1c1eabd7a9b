#!/usr/bin/env bash
# The project's test command (README "Test"): builds or reuses the pinned test control plane
# (kube-apiserver, etcd, kubectl, helm; a first build takes minutes, later runs reuse the cache),
# then runs the whole Maven build: unit tests, property tests and the *IT suite on a real API
# server. Extra arguments go to Maven, e.g. scripts/test.sh -Dit.test=HelmChartIT.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
export KUBE_API_TEST_DIR="${KUBE_API_TEST_DIR:-$HOME/.cache/gpu-reservation-operator/kube-api-test}"

"$root/scripts/controlplane.sh" >/dev/null

cd "$root"
exec mvn -B verify "$@"
