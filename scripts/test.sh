#!/usr/bin/env bash
# The project's test command (README "Test"): builds or reuses the pinned test control plane
# (see scripts/controlplane.sh; a first build takes minutes, later runs reuse the cache) and
# Debian's chromium when missing, then runs the whole Maven build: unit tests, property tests and
# the *IT suite on the project's local cluster (scripts/cluster.sh). Extra arguments go to Maven, e.g. scripts/test.sh -Dit.test=HelmChartIT.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
export KUBE_API_TEST_DIR="${KUBE_API_TEST_DIR:-$HOME/.cache/gpu-reservation-operator/kube-api-test}"

"$root/scripts/controlplane.sh" >/dev/null

# Headless Chromium renders the planner's HTML report in PlanHtmlChromiumTest (Debian's package).
if ! command -v chromium >/dev/null 2>&1; then
  echo "test.sh: installing Debian's chromium (the headless browser PlanHtmlChromiumTest uses)" >&2
  as_root=()
  [[ $(id -u) -eq 0 ]] || as_root=(sudo)
  if ! { "${as_root[@]}" apt-get update -qq &&
    "${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; }; then
    echo "test.sh: could not install chromium; install it (apt-get install chromium) and rerun" >&2
    exit 1
  fi
fi

cd "$root"
exec mvn -B verify "$@"
