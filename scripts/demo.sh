#!/usr/bin/env bash
# The one-command demo (README "Run it").
#
# With a reachable cluster in the current kubeconfig it runs the operator (built from this
# checkout, on this machine) against that cluster. Without one it starts the project's local
# cluster (scripts/cluster.sh: etcd, kube-apiserver, kube-controller-manager, kube-scheduler and
# KWOK GPU nodes, so pods are scheduled onto nodes and run as on a real cluster).
# Either way it applies crds/ and every file in examples/ (one namespace per file, demo-<name>),
# shows the reservations and the GPU pods with their billing modes, and keeps running until
# Ctrl-C, then cleans up what it started (the local control plane and everything in it; on a real
# cluster the demo-* namespaces).
#
# Options: --once          print the result and exit (0 when every pod got the billing mode its
#                          example expects) instead of running until interrupted
# Environment: DEMO_SKIP_BUILD=1 reuse operator/target; DEMO_WAIT=<s> how long to wait for the
#              operator to annotate the pods (default 60); DEMO_LOCAL=1 always use a local control
#              plane.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
once=false
[[ "${1:-}" == "--once" ]] && once=true
wait_s=${DEMO_WAIT:-60}
work=$(mktemp -d "${TMPDIR:-/tmp}/gpu-demo.XXXXXX")
pids=()
local_cp=false
cluster_dir=""
namespaces=()

log() { echo "demo: $*" >&2; }

cleanup() {
  set +e
  if ! $local_cp && ((${#namespaces[@]})); then
    log "deleting namespaces ${namespaces[*]}"
    "$kubectl" delete namespace "${namespaces[@]}" --wait=false >/dev/null 2>&1
  fi
  for ((i = ${#pids[@]} - 1; i >= 0; i--)); do
    kill "${pids[$i]}" 2>/dev/null
  done
  # kube-apiserver's graceful shutdown can take half a minute; give everything 5 s.
  for _ in $(seq 20); do
    alive=false
    for p in "${pids[@]}"; do kill -0 "$p" 2>/dev/null && alive=true; done
    $alive || break
    sleep 0.25
  done
  for p in "${pids[@]}"; do kill -9 "$p" 2>/dev/null; done
  ((${#pids[@]})) && wait "${pids[@]}" 2>/dev/null
  [[ -n "$cluster_dir" ]] && "$root/scripts/cluster.sh" down "$cluster_dir" 2>/dev/null
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM HUP

# Ports for the operator: below the kernel's ephemeral range, so no outgoing connection takes
# them before the operator binds them (scripts/lib/ports.sh).
# shellcheck source=lib/ports.sh
source "$root/scripts/lib/ports.sh"

# --- binaries and the operator jar ---------------------------------------------------------------
bin_dir=$("$root/scripts/controlplane.sh")
kubectl="$bin_dir/kubectl"
if [[ "${DEMO_SKIP_BUILD:-}" != 1 || -z "$(ls "$root"/operator/target/gpu-reservation-operator-*.jar 2>/dev/null)" ]]; then
  log "building the operator jar"
  (cd "$root" && mvn -B -q -DskipTests package)
fi
jar=$(ls "$root"/operator/target/gpu-reservation-operator-*.jar | grep -v -e sources -e javadoc | head -1)

# --- a cluster: the current kubeconfig's, or a local control plane --------------------------------
start_local_cluster() {
  log "starting the local cluster (etcd, kube-apiserver, kube-controller-manager, kube-scheduler, KWOK GPU nodes) in $work/cluster"
  if ! "$root/scripts/cluster.sh" up "$work/cluster" --owner $$ >/dev/null; then
    log "the local cluster did not come up (see above)"
    exit 1
  fi
  cluster_dir="$work/cluster"
  export KUBECONFIG="$work/cluster/kubeconfig"
}

if [[ "${DEMO_LOCAL:-}" != 1 ]] && "$kubectl" version --request-timeout=5s >/dev/null 2>&1; then
  log "using the cluster of the current kubeconfig: $("$kubectl" config current-context)"
else
  local_cp=true
  start_local_cluster
fi

# --- CRDs, operator, examples ------------------------------------------------------------------
log "applying crds/"
"$kubectl" apply --server-side --field-manager=gpu-demo -f "$root/crds" >/dev/null
"$kubectl" wait --for=condition=Established --timeout=60s -f "$root/crds" >/dev/null
# The placeholders' PriorityClass, as the chart installs it (docs/capacity-holding.md).
"$(dirname "$(dirname "$bin_dir")")/bin/helm" template demo "$root/helm/gpu-reservation-operator" \
  --show-only templates/priorityclass.yaml | "$kubectl" apply --server-side --field-manager=gpu-demo -f - >/dev/null

mapfile -t ports < <(loopback_ports 2 20000 23999)
http_port=${ports[0]} webhook_port=${ports[1]}
mkdir -p "$work/webhook-tls"
openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=127.0.0.1" \
  -addext "subjectAltName=IP:127.0.0.1" \
  -keyout "$work/webhook-tls/tls.key" -out "$work/webhook-tls/tls.crt" 2>/dev/null
log "starting the operator (log: $work/operator.log)"
# A local run: /metrics on the health port, plain and unauthenticated (METRICS_SECURE=false,
# docs/install.md "Metrics"), so `curl http://127.0.0.1:$http_port/metrics` reads them.
LEADER_ELECTION=false HTTP_PORT=$http_port METRICS_SECURE=false WEBHOOK_PORT=$webhook_port \
  WEBHOOK_TLS_DIR="$work/webhook-tls" POD_NAMESPACE=default \
  java -jar "$jar" run >"$work/operator.log" 2>&1 &
pids+=($!)
for _ in $(seq 120); do
  curl -sf "http://127.0.0.1:$http_port/readyz" >/dev/null 2>&1 && break
  if ! kill -0 "${pids[-1]}" 2>/dev/null; then
    log "the operator exited; its log:"
    tail -30 "$work/operator.log" >&2
    exit 1
  fi
  sleep 0.5
done

# On the local control plane the API server reaches the operator's webhook on loopback, so
# ResidentPool pods and GPU pods in namespaces with reservations get their scheduling gates as in a
# cluster (the chart's two webhooks, pointed at loopback).
if $local_cp && curl -sk -o /dev/null "https://127.0.0.1:$webhook_port/"; then
  "$kubectl" apply --server-side --field-manager=gpu-demo -f - >/dev/null <<YAML
apiVersion: admissionregistration.k8s.io/v1
kind: MutatingWebhookConfiguration
metadata:
  name: gpu-reservation-operator-demo
webhooks:
  - name: resident-pool-gate.gpureservation.io
    admissionReviewVersions: ["v1"]
    sideEffects: None
    failurePolicy: Fail
    reinvocationPolicy: Never
    timeoutSeconds: 10
    objectSelector:
      matchExpressions: [{key: gpureservation.io/resident-pool, operator: Exists}]
    rules:
      - {apiGroups: [""], apiVersions: ["v1"], operations: ["CREATE"], resources: ["pods"], scope: Namespaced}
    clientConfig:
      url: https://127.0.0.1:$webhook_port/mutate-pods
      caBundle: $(base64 -w0 <"$work/webhook-tls/tls.crt")
  - name: capacity-gate.gpureservation.io
    admissionReviewVersions: ["v1"]
    sideEffects: None
    failurePolicy: Ignore
    reinvocationPolicy: Never
    timeoutSeconds: 10
    namespaceSelector:
      matchExpressions: [{key: kubernetes.io/metadata.name, operator: NotIn, values: [kube-system, default]}]
    objectSelector:
      matchExpressions: [{key: gpureservation.io/resident-pool, operator: DoesNotExist}]
    rules:
      - {apiGroups: [""], apiVersions: ["v1"], operations: ["CREATE"], resources: ["pods"], scope: Namespaced}
    clientConfig:
      url: https://127.0.0.1:$webhook_port/mutate-pods
      caBundle: $(base64 -w0 <"$work/webhook-tls/tls.crt")
YAML
fi

# Applies one example file. A webhook call that timed out (a loaded machine, the operator's first
# requests) is tried again, as a GitOps tool would; any other error ends the demo.
apply_example() {
  local ns=$1 file=$2 out
  for attempt in 1 2 3 4 5; do
    if out=$("$kubectl" apply --server-side --field-manager=gpu-demo -n "$ns" -f "$file" 2>&1); then
      return 0
    fi
    grep -q 'failed calling webhook' <<<"$out" && ((attempt < 5)) || { echo "$out" >&2; return 1; }
    log "webhook not answering yet, applying $file again"
    sleep 2
  done
}

# Scenarios as the examples suite sees them: each manifest file in examples/ or examples/<area>/,
# and each examples/<area>/<scenario>/ folder (its files in name order); one namespace each.
# Files without Kubernetes objects (examples/billing/, inputs of the bill command) are skipped.
declare -A scenario_files=()
while IFS= read -r file; do
  grep -q '^apiVersion:' "$file" || continue
  rel=${file#"$root/examples/"}
  IFS=/ read -ra parts <<<"$rel"
  name=$rel
  ((${#parts[@]} > 2)) && name="${parts[0]}/${parts[1]}"
  scenario_files[$name]+="$file "
done < <(find "$root/examples" -type f \( -name '*.yaml' -o -name '*.yml' \) 2>/dev/null | sort)
while IFS= read -r name; do
  [[ -n "$name" ]] || continue
  ns=$(sed -E 's/\.ya?ml$//' <<<"$name" | tr '[:upper:]' '[:lower:]' | sed -E 's/[^a-z0-9]+/-/g')
  ns="demo-$ns"
  ns=${ns:0:63}
  ns=${ns%%-}
  "$kubectl" create namespace "$ns" >/dev/null
  # Pods are refused until the controller-manager has made the namespace's default ServiceAccount.
  for _ in $(seq 100); do
    "$kubectl" get serviceaccount default -n "$ns" >/dev/null 2>&1 && break
    sleep 0.2
  done
  namespaces+=("$ns")
  log "applying examples/$name in namespace $ns"
  for file in ${scenario_files[$name]}; do
    apply_example "$ns" "$file"
  done
done < <(printf '%s\n' "${!scenario_files[@]}" | sort)

# --- show it ---------------------------------------------------------------------------------------
columns='NAMESPACE:.metadata.namespace,POD:.metadata.name,NODE:.spec.nodeName,PHASE:.status.phase'
columns+=',BILLING:.metadata.annotations.gpureservation\.io/billing-mode'
columns+=',RESERVATION:.metadata.annotations.gpureservation\.io/reservation'
columns+=',REASON:.metadata.annotations.gpureservation\.io/reason'
columns+=',EXPECTED:.metadata.annotations.example\.gpureservation\.io/expected-billing-mode'

# Pods whose example states an expected billing mode or reservation ("a|b" lists alternatives)
# that they do not have (yet), one line each.
mismatches() {
  local a='.metadata.annotations' e='.metadata.annotations.example\.gpureservation\.io'
  "$kubectl" get pods -A -o jsonpath="{range .items[*]}{.metadata.namespace}/{.metadata.name}{'\t'}{$e/expected-billing-mode}{'\t'}{$a.gpureservation\.io/billing-mode}{'\t'}{$e/expected-reservation}{'\t'}{$a.gpureservation\.io/reservation}{'\n'}{end}" |
    awk -F'\t' '
      function differs(want, have,   alts, n, i) {
        if (want == "") return 0
        n = split(want, alts, "|")
        for (i = 1; i <= n; i++) if (alts[i] == have) return 0
        return 1
      }
      differs($2, $3) {print $1 ": expected billing mode " $2 ", has " ($3 == "" ? "none" : $3)}
      differs($4, $5) {print $1 ": expected reservation " $4 ", has " ($5 == "" ? "none" : $5)}'
}

for _ in $(seq "$wait_s"); do
  [[ -z "$(mismatches)" ]] && break
  sleep 1
done

echo
echo "== nodes"
"$kubectl" get nodes -o custom-columns='NAME:.metadata.name,CARD:.metadata.labels.nvidia\.com/gpu\.product,ZONE:.metadata.labels.topology\.kubernetes\.io/zone,GPUS:.status.allocatable.nvidia\.com/gpu,CPU:.status.allocatable.cpu,MEMORY:.status.allocatable.memory,READY:.status.conditions[?(@.type=="Ready")].status'
echo
echo "== kubectl get gcr -A"
"$kubectl" get gcr -A
if "$kubectl" get crd residentpools.gpureservation.io >/dev/null 2>&1; then
  echo
  echo "== kubectl get rpool -A"
  "$kubectl" get rpool -A
fi
echo
echo "== placeholders (capacity held for idle slots)"
"$kubectl" get pods -A -l gpureservation.io/placeholder-for \
  -o custom-columns='NAMESPACE:.metadata.namespace,PLACEHOLDER:.metadata.name,NODE:.spec.nodeName,PHASE:.status.phase' |
  awk 'NR == 1 || $1 ~ /^demo-/'
echo
echo "== GPU pods and their billing modes"
"$kubectl" get pods -A -l '!gpureservation.io/placeholder-for' -o custom-columns="$columns" | awk 'NR == 1 || $1 ~ /^demo-/'
bad=$(mismatches)
if [[ -n "$bad" ]]; then
  echo
  echo "== pods not as their example expects"
  echo "$bad"
fi

if $once; then
  [[ -z "$bad" ]]
  exit
fi
echo
$local_cp && echo "Local cluster: export KUBECONFIG=$work/cluster/kubeconfig (valid while the demo runs)"
echo "Operator log: $work/operator.log. Press Ctrl-C to stop and clean up."
while true; do
  sleep 1 # short, so that the INT/TERM trap runs promptly
done
