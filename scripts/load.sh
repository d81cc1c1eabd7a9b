#!/usr/bin/env bash
# The operator at cluster scale, beside a bare client doing the same work (docs/performance.md,
# "The operator at cluster scale"). A benchmark: never part of the tests.
#
#   scripts/load.sh [SCENARIO...]     scenarios (default: all, each on a fresh cluster):
#     burst-1     5,000 GPU pods in 1 namespace, half fitting a reservation
#     burst-50    5,000 GPU pods in 50 namespaces, half fitting reservations
#     steady      50 pods/s for 60 s: create -> annotated p50/p99
#     heap        heap after a full GC per tracked pod at 20,000 GPU pods
#     restart     10,000 pods and 1,000 reservations; kill -9; time to ready and to a new pod
#   Sizes can be overridden: BURST_PODS, STEADY_RATE, STEADY_SECONDS, HEAP_PODS, RESTART_PODS,
#   RESTART_RESERVATIONS.
#   LOAD_PLACEHOLDERS=1 also creates the placeholders' PriorityClass (as the chart does), so every
#   idle slot gets a placeholder pod (pending: nothing schedules on the bare API server) that the
#   operator deletes when a pod takes its slot; without it they are refused (403) and never exist.
#   LOAD_OPERATOR_OPTS adds JVM options to the operator only, e.g. a flight recording:
#   LOAD_OPERATOR_OPTS=-XX:StartFlightRecording=filename=/tmp/op.jfr,settings=profile
#
# The operator's JVM is the chart's: operator.javaOptions and MaxRAM as resources.limits.memory, read
# from helm/gpu-reservation-operator/values.yaml; LOAD_OPERATOR_OPTS comes after them.
#
# Each scenario starts a bare API server (scripts/cluster.sh up --bare: etcd and kube-apiserver,
# nothing else, so the simulation does not throttle the bare client) with one Node object, the
# operator as its own process (java -jar ... run) and the load client
# (io.gpureservation.bench.LoadBenchmark). Pods are bound at creation to that node. Besides wall
# time the client prints the operator's CPU seconds and the API requests per pod by verb, from the
# API server's own counters. LOAD_CLUSTER=full runs on the whole KWOK cluster instead (one extra
# node large enough for every pod).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
# shellcheck source=lib/ports.sh
source "$root/scripts/lib/ports.sh"

scenarios=("$@")
((${#scenarios[@]})) || scenarios=(burst-1 burst-50 steady heap restart)

mvn -B -q -pl operator -DskipTests package test-compile dependency:build-classpath \
  -Dmdep.outputFile="$root/operator/target/load.classpath" -Dmdep.includeScope=test
jar=$(ls operator/target/gpu-reservation-operator-*.jar | head -1)
classpath="operator/target/test-classes:operator/target/classes:$(cat operator/target/load.classpath)"
kubectl="$("$root/scripts/controlplane.sh")/kubectl"

dir=""
operator_pid=""
http_port=""

# SIGTERM first, so that a flight recording in LOAD_OPERATOR_OPTS is written at exit; SIGKILL after 20 s.
stop_operator() {
  local pid
  pid=$(cat "$dir/operator.pid" 2>/dev/null) || return 0
  kill "$pid" 2>/dev/null || return 0
  for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || return 0; sleep 0.2; done
  kill -9 "$pid" 2>/dev/null || true
}

cleanup() {
  [[ -n "$operator_pid" ]] && kill -9 "$operator_pid" 2>/dev/null || true
  # after the restart scenario's kill -9 the running operator is the one operator.pid names
  [[ -n "$dir" && -f "$dir/operator.pid" ]] && kill -9 "$(cat "$dir/operator.pid")" 2>/dev/null || true
  [[ -n "$dir" ]] && "$root/scripts/cluster.sh" down "$dir" >/dev/null 2>&1 || true
}
trap cleanup EXIT

# The JVM as the chart runs it: its javaOptions, and MaxRAM as its memory limit (what the container
# would show the JVM), so the heap is MaxRAMPercentage of that limit.
chart_values=helm/gpu-reservation-operator/values.yaml
chart_java_options=$(sed -n 's/^  javaOptions: "\(.*\)"$/\1/p' "$chart_values")
chart_memory_limit=$(awk '/^  limits:/{l=1} l && /memory:/{print $2; exit}' "$chart_values")
[[ -n "$chart_java_options" && -n "$chart_memory_limit" ]] || {
  echo "load: cannot read operator.javaOptions and resources.limits.memory from $chart_values" >&2
  exit 1
}
operator_jvm="-XX:MaxRAM=${chart_memory_limit%i} $chart_java_options"

start_operator() {
  LEADER_ELECTION=false HTTP_PORT=$http_port METRICS_SECURE=false KUBECONFIG=$dir/kubeconfig \
    java $operator_jvm ${LOAD_OPERATOR_OPTS:-} -jar "$jar" run >>"$dir/operator.log" 2>&1 &
  operator_pid=$!
  echo "$operator_pid" >"$dir/operator.pid"
  for _ in $(seq 1 600); do
    curl -sf "http://127.0.0.1:$http_port/readyz" >/dev/null 2>&1 && return 0
    sleep 0.1
  done
  echo "load: the operator did not become ready; see $dir/operator.log" >&2
  exit 1
}

# The command LoadBenchmark runs for the restart scenario: SIGKILL, then a new process.
restart_command() {
  cat <<SH
kill -9 \$(cat $dir/operator.pid); sleep 0.2
LEADER_ELECTION=false HTTP_PORT=$http_port METRICS_SECURE=false KUBECONFIG=$dir/kubeconfig \
  nohup java $operator_jvm ${LOAD_OPERATOR_OPTS:-} -jar $jar run >>$dir/operator.log 2>&1 &
echo \$! >$dir/operator.pid
SH
}

run_scenario() {
  local name=$1
  shift
  dir=$(mktemp -d "${TMPDIR:-/tmp}/gpu-load-$name.XXXX")
  if [[ ${LOAD_CLUSTER:-bare} == full ]]; then
    "$root/scripts/cluster.sh" up "$dir" --owner $$ >/dev/null
    "$root/scripts/cluster.sh" add-node "$dir" load-1 L20 NVIDIA-L20 zone-a cn-hangzhou 100000 100000 100000Gi
  else
    "$root/scripts/cluster.sh" up "$dir" --bare --owner $$ >/dev/null
    # A node nobody runs: pods bound to it are started pods to the operator (never Running).
    KUBECONFIG=$dir/kubeconfig "$kubectl" apply -f - >/dev/null <<YAML
apiVersion: v1
kind: Node
metadata:
  name: load-1
  labels: {kubernetes.io/hostname: load-1, topology.kubernetes.io/zone: zone-a, topology.kubernetes.io/region: cn-hangzhou, nvidia.com/gpu.product: NVIDIA-L20}
YAML
  fi
  if [[ -n ${LOAD_PLACEHOLDERS:-} ]]; then
    KUBECONFIG=$dir/kubeconfig "$kubectl" apply -f - >/dev/null <<YAML
apiVersion: scheduling.k8s.io/v1
kind: PriorityClass
metadata: {name: gpu-reservation-placeholder}
value: 1000000
preemptionPolicy: Never
YAML
  fi
  KUBECONFIG=$dir/kubeconfig "$kubectl" apply --server-side -f crds/ >/dev/null
  KUBECONFIG=$dir/kubeconfig "$kubectl" wait --for=condition=Established crd --all >/dev/null
  http_port=$(loopback_ports 1 20000 23999)
  start_operator
  KUBECONFIG=$dir/kubeconfig NODE=load-1 OPERATOR_PID=$operator_pid \
    OPERATOR_HTTP=http://127.0.0.1:$http_port RESTART_COMMAND="$(restart_command)" \
    java -Xmx2g -cp "$classpath" io.gpureservation.bench.LoadBenchmark "$@" 2>"$dir/load.log" |
    sed "s/^/load: /"
  stop_operator
  operator_pid=""
  "$root/scripts/cluster.sh" down "$dir" >/dev/null
  dir=""
}

for s in "${scenarios[@]}"; do
  case $s in
    burst-1) run_scenario "$s" burst "${BURST_PODS:-5000}" 1 ;;
    burst-50) run_scenario "$s" burst "${BURST_PODS:-5000}" 50 ;;
    steady) run_scenario "$s" steady "${STEADY_RATE:-50}" "${STEADY_SECONDS:-60}" ;;
    heap) run_scenario "$s" heap "${HEAP_PODS:-20000}" ;;
    restart) run_scenario "$s" restart "${RESTART_PODS:-10000}" "${RESTART_RESERVATIONS:-1000}" ;;
    *) echo "load: unknown scenario $s" >&2; exit 2 ;;
  esac
done
