#!/usr/bin/env bash
# The project's local Kubernetes cluster: etcd, kube-apiserver, kube-controller-manager,
# kube-scheduler and KWOK, which runs the GPU nodes declared in controlplane/gpu-nodes.conf
# (pods are scheduled, run, complete and are deleted as on a real cluster, without kubelets).
# One launcher for the IT suite (RealCluster), the demo and the load benchmark.
#
#   scripts/cluster.sh up DIR [--owner PID] [--no-nodes | --bare]
#       starts the cluster with its state and logs in DIR and writes DIR/kubeconfig (an admin,
#       i.e. system:masters, user). --bare starts etcd and kube-apiserver only (no controllers,
#       scheduler or nodes: what a benchmark's bare client is measured against).
#       With --owner the cluster stops by itself when process PID
#       ends, so a killed test run or demo leaves nothing behind. Prints DIR/kubeconfig.
#   scripts/cluster.sh down DIR
#       stops everything started in DIR and removes DIR/run and the etcd data (DIR/etcd, 120 MB
#       of preallocated WAL: a test run starts some 40 clusters); the logs stay.
#   scripts/cluster.sh add-node DIR NAME CARD PRODUCT ZONE REGION GPUS CPU MEMORY [GPUS_VIA]
#       adds one KWOK GPU node (a line of gpu-nodes.conf) and waits until it is Ready; GPUS_VIA
#       is device-plugin (default: the nvidia.com/gpu resource) or dra (a ResourceSlice).
#   scripts/cluster.sh remove-node DIR NAME
#       deletes a node; the pod garbage collector then deletes the pods bound to it.
#
# Binaries come from scripts/controlplane.sh (built once and cached). When a component does not
# come up, the tail of its log is printed and everything started is stopped.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
nodes_conf="$root/controlplane/gpu-nodes.conf"
stages="$root/controlplane/kwok/stages.yaml"

log() { echo "cluster: $*" >&2; }
die() {
  log "$*"
  exit 1
}

# shellcheck source=lib/ports.sh
source "$root/scripts/lib/ports.sh"

binaries() {
  bin_dir=$("$root/scripts/controlplane.sh")
  kwok_bin="$(dirname "$(dirname "$bin_dir")")/bin/kwok"
  kubectl="$bin_dir/kubectl"
}

# --- certificates and credentials ------------------------------------------------------------------
# One CA signs the API server's serving certificate and every client certificate; the service
# account key signs tokens. Components authenticate as the users Kubernetes' bootstrap RBAC knows
# (system:kube-scheduler, system:kube-controller-manager); the admin and KWOK are system:masters.
make_pki() {
  local pki=$1
  mkdir -p "$pki"
  openssl req -x509 -newkey rsa:2048 -nodes -days 7 -subj "/CN=gpu-test-ca" \
    -keyout "$pki/ca.key" -out "$pki/ca.crt" 2>/dev/null
  openssl req -newkey rsa:2048 -nodes -subj "/CN=kube-apiserver" \
    -keyout "$pki/apiserver.key" -out "$pki/apiserver.csr" 2>/dev/null
  openssl x509 -req -in "$pki/apiserver.csr" -CA "$pki/ca.crt" -CAkey "$pki/ca.key" \
    -CAcreateserial -days 7 -out "$pki/apiserver.crt" \
    -extfile <(printf 'subjectAltName=IP:127.0.0.1,DNS:localhost,DNS:kubernetes.default.svc') 2>/dev/null
  openssl genrsa -out "$pki/sa.key" 2048 2>/dev/null
  openssl rsa -in "$pki/sa.key" -pubout -out "$pki/sa.pub" 2>/dev/null
  local user
  for user in admin:system:masters kube-scheduler: kube-controller-manager: kwok:system:masters; do
    local name=${user%%:*} group=${user#*:} subject
    case $name in
      admin | kwok) subject="/O=$group/CN=$name" ;;
      *) subject="/CN=system:$name" ;;
    esac
    openssl req -newkey rsa:2048 -nodes -subj "$subject" \
      -keyout "$pki/$name.key" -out "$pki/$name.csr" 2>/dev/null
    openssl x509 -req -in "$pki/$name.csr" -CA "$pki/ca.crt" -CAkey "$pki/ca.key" \
      -CAcreateserial -days 7 -out "$pki/$name.crt" 2>/dev/null
  done
}

# kubeconfig <file> <user> <server>
kubeconfig() {
  local file=$1 user=$2 server=$3 pki=$dir/pki
  cat >"$file" <<YAML
apiVersion: v1
kind: Config
clusters:
- name: gpu-test
  cluster:
    server: $server
    certificate-authority-data: $(base64 -w0 <"$pki/ca.crt")
users:
- name: $user
  user:
    client-certificate-data: $(base64 -w0 <"$pki/$user.crt")
    client-key-data: $(base64 -w0 <"$pki/$user.key")
contexts:
- name: gpu-test
  context: {cluster: gpu-test, user: $user, namespace: default}
current-context: gpu-test
YAML
}

# --- processes ---------------------------------------------------------------------------------------
# start <name> <command...>: runs a component in the background, log in DIR/logs/<name>.log.
start() {
  local name=$1 pid
  shift
  "$@" >"$dir/logs/$name.log" 2>&1 &
  pid=$!
  # The owner's watchdog may have stopped the cluster meanwhile (run/ gone): leave nothing behind.
  echo "$pid $name" >>"$dir/run/pids" 2>/dev/null || {
    kill -9 "$pid" 2>/dev/null
    die "the cluster in $dir was stopped while it started (its owner ended)"
  }
}

# The tail of a component's log, to say why the cluster did not come up.
show_log() {
  log "last lines of $1's log ($dir/logs/$1.log):"
  tail -n 25 "$dir/logs/$1.log" >&2 || true
}

# wait_for <what> <component> <seconds> <command...>: polls until the command succeeds; fails
# (after printing why) when the component exits or the time is up.
wait_for() {
  local what=$1 component=$2 seconds=$3 deadline
  shift 3
  deadline=$((SECONDS + seconds))
  until "$@" >/dev/null 2>&1; do
    if ! alive "$component" || ((SECONDS > deadline)); then
      lost_port "$component" || {
        log "$what: not after ${seconds} s"
        show_log "$component"
      }
      return 1
    fi
    sleep 0.2
  done
}

# lost_port <component>: it exited because another process bound its port first.
lost_port() {
  ! alive "$1" && grep -q "address already in use" "$dir/logs/$1.log" 2>/dev/null
}

alive() {
  local pid
  pid=$(awk -v n="$1" '$2 == n {print $1}' "$dir/run/pids")
  [[ -n "$pid" ]] && kill -0 "$pid" 2>/dev/null
}

stop_all() {
  [[ -f "$dir/run/pids" ]] || return 0
  stop_components
  if [[ -f "$dir/run/watchdog" ]]; then
    kill "$(cat "$dir/run/watchdog")" 2>/dev/null || true
  fi
  rm -rf "$dir/run"
}

# Stops the components started so far (the watchdog stays).
stop_components() {
  local pids
  pids=$(tac "$dir/run/pids" | awk '{print $1}')
  # shellcheck disable=SC2086
  kill $pids 2>/dev/null || true
  for _ in $(seq 50); do
    local any=false p
    for p in $pids; do kill -0 "$p" 2>/dev/null && any=true; done
    $any || break
    sleep 0.1
  done
  # shellcheck disable=SC2086
  kill -9 $pids 2>/dev/null || true
  : >"$dir/run/pids"
}

# --- nodes ----------------------------------------------------------------------------------------------
# node_manifest NAME CARD PRODUCT ZONE REGION GPUS CPU MEMORY GPUS_VIA
# A device-plugin node advertises its cards as the extended resource nvidia.com/gpu; a DRA node
# advertises none and publishes them as a ResourceSlice instead (resource_slice), so no card is
# offered twice (docs/testing.md "GPUs through DRA").
node_manifest() {
  local name=$1 card=$2 product=$3 zone=$4 region=$5 gpus=$6 cpu=$7 memory=$8 via=$9
  local extended=""
  [[ $via == dra ]] || extended="    nvidia.com/gpu: \"$gpus\""
  cat <<YAML
apiVersion: v1
kind: Node
metadata:
  name: $name
  annotations:
    kwok.x-k8s.io/node: fake
    node.alpha.kubernetes.io/ttl: "0"
  labels:
    kubernetes.io/hostname: $name
    kubernetes.io/os: linux
    kubernetes.io/arch: amd64
    type: kwok
    topology.kubernetes.io/zone: $zone
    topology.kubernetes.io/region: $region
    nvidia.com/gpu.product: $product
    nvidia.com/gpu.count: "$gpus"
status:
  capacity:
    cpu: "$cpu"
    memory: $memory
    pods: "110"
    ephemeral-storage: 2Ti
$extended
---
YAML
}

# What NVIDIA's DRA driver publishes per card of a type: memory, architecture, CUDA capability.
card_facts() {
  case $1 in
    L20) echo "48Gi Ada-Lovelace 8.9.0" ;;
    A10) echo "24Gi Ampere 8.6.0" ;;
    T4) echo "16Gi Turing 7.5.0" ;;
    *) echo "80Gi Hopper 9.0.0" ;;
  esac
}

# resource_slice NAME CARD PRODUCT GPUS UID: the node's cards as NVIDIA's DRA driver
# (gpu.nvidia.com) publishes them — one device gpu-<n> per card with type, productName (the
# product label with spaces, "NVIDIA L20"), uuid, brand, architecture, cudaComputeCapability,
# driverVersion and memory capacity — owned by the node, so deleting the node collects it.
resource_slice() {
  local name=$1 card=$2 product=$3 gpus=$4 uid=$5 memory arch cc n
  read -r memory arch cc < <(card_facts "$card")
  cat <<YAML
apiVersion: resource.k8s.io/v1
kind: ResourceSlice
metadata:
  name: $name-gpu.nvidia.com
  ownerReferences:
  - {apiVersion: v1, kind: Node, name: $name, uid: $uid}
spec:
  driver: gpu.nvidia.com
  nodeName: $name
  pool: {name: $name, generation: 1, resourceSliceCount: 1}
  devices:
YAML
  for ((n = 0; n < gpus; n++)); do
    cat <<YAML
  - name: gpu-$n
    attributes:
      type: {string: gpu}
      productName: {string: "${product//-/ }"}
      uuid: {string: "GPU-$(printf '%s' "$name/$n" | sha256sum | cut -c1-8)-0000-4000-8000-$(printf '%012d' "$n")"}
      brand: {string: Nvidia}
      architecture: {string: "${arch//-/ }"}
      cudaComputeCapability: {version: "$cc"}
      driverVersion: {version: "580.95.5"}
    capacity:
      memory: {value: $memory}
YAML
  done
  echo "---"
}

# The DeviceClasses NVIDIA's DRA driver installs: whole GPUs and MIG devices of gpu.nvidia.com.
# No extendedResourceName: plain nvidia.com/gpu requests stay with the device-plugin nodes here.
device_classes() {
  local class type
  for class in gpu mig; do
    type=$class
    cat <<YAML
apiVersion: resource.k8s.io/v1
kind: DeviceClass
metadata:
  name: $class.nvidia.com
spec:
  selectors:
  - cel:
      expression: device.driver == "gpu.nvidia.com" && device.attributes["gpu.nvidia.com"].type == "$type"
---
YAML
  done
}

# Lines of gpu-nodes.conf: NAME CARD PRODUCT ZONE REGION GPUS CPU MEMORY GPUS_VIA
declared_node_lines() {
  grep -Ev '^\s*(#|$)' "$nodes_conf"
}

# apply_nodes: reads node lines on stdin, creates the nodes, waits until they are Ready and
# publishes the ResourceSlices of the DRA nodes.
apply_nodes() {
  local lines name card product zone region gpus cpu memory via uid
  lines=$(cat)
  while read -r name card product zone region gpus cpu memory via; do
    node_manifest "$name" "$card" "$product" "$zone" "$region" "$gpus" "$cpu" "$memory" "${via:-device-plugin}"
  done <<<"$lines" | "$kubectl" apply -f - >/dev/null
  # shellcheck disable=SC2046
  wait_nodes_ready $(awk '{print $1}' <<<"$lines") || return 1
  local slices
  slices=$(while read -r name card product zone region gpus cpu memory via; do
    [[ ${via:-} == dra ]] || continue
    uid=$("$kubectl" get node "$name" -o jsonpath='{.metadata.uid}')
    resource_slice "$name" "$card" "$product" "$gpus" "$uid"
  done <<<"$lines")
  [[ -z "$slices" ]] || "$kubectl" apply -f - <<<"$slices" >/dev/null
}

wait_nodes_ready() {
  local deadline=$((SECONDS + 60))
  until "$kubectl" wait --for=condition=Ready node "$@" --timeout=5s >/dev/null 2>&1; do
    if ((SECONDS > deadline)); then
      log "nodes $* not Ready after 60 s"
      show_log kwok
      return 1
    fi
  done
}

# --- commands --------------------------------------------------------------------------------------------
# Starts etcd, kube-apiserver, kube-controller-manager, kube-scheduler and KWOK on fresh ports and
# waits for them. Returns 2 when a component lost its port, 1 on any other failure.
start_control_plane() {
  local pki=$dir/pki etcd_port peer_port api_port kwok_port server ports
  mapfile -t ports < <(loopback_ports 4 "${CLUSTER_PORTS_FIRST:-24000}" "${CLUSTER_PORTS_LAST:-0}")
  etcd_port=${ports[0]} peer_port=${ports[1]} api_port=${ports[2]} kwok_port=${ports[3]}
  server="https://127.0.0.1:$api_port"
  for user in admin kube-scheduler kube-controller-manager kwok; do
    kubeconfig "$dir/$user.kubeconfig" "$user" "$server"
  done
  mv "$dir/admin.kubeconfig" "$dir/kubeconfig"

  # etcd without fsync: the cluster is thrown away after the run.
  start etcd "$bin_dir/etcd" --data-dir "$dir/etcd" --unsafe-no-fsync \
    --listen-client-urls "http://127.0.0.1:$etcd_port" \
    --advertise-client-urls "http://127.0.0.1:$etcd_port" \
    --listen-peer-urls "http://127.0.0.1:$peer_port" \
    --initial-advertise-peer-urls "http://127.0.0.1:$peer_port" \
    --initial-cluster "default=http://127.0.0.1:$peer_port" --listen-metrics-urls ""
  start kube-apiserver "$bin_dir/kube-apiserver" \
    --etcd-servers "http://127.0.0.1:$etcd_port" \
    --bind-address 127.0.0.1 --advertise-address 127.0.0.1 --secure-port "$api_port" \
    --tls-cert-file "$pki/apiserver.crt" --tls-private-key-file "$pki/apiserver.key" \
    --client-ca-file "$pki/ca.crt" --authorization-mode Node,RBAC \
    --service-account-issuer https://kubernetes.default.svc \
    --service-account-key-file "$pki/sa.pub" --service-account-signing-key-file "$pki/sa.key" \
    --service-cluster-ip-range 10.96.0.0/16 --allow-privileged --endpoint-reconciler-type none \
    --max-requests-inflight 800 --max-mutating-requests-inflight 400
  if ! wait_for "kube-apiserver ready" kube-apiserver 90 \
    "$kubectl" --kubeconfig "$dir/kubeconfig" get --raw /readyz; then
    lost_port kube-apiserver || lost_port etcd && return 2
    return 1
  fi
  # etcd exits at once when its port is taken; an API server that came up without its own etcd
  # could be talking to another cluster's.
  if ! alive etcd; then
    lost_port etcd && return 2
    show_log etcd
    return 1
  fi
  # A bare API server (benchmarks): nothing else talks to it.
  $bare && return 0

  start kube-controller-manager "$bin_dir/kube-controller-manager" \
    --kubeconfig "$dir/kube-controller-manager.kubeconfig" \
    --authentication-kubeconfig "$dir/kube-controller-manager.kubeconfig" \
    --authorization-kubeconfig "$dir/kube-controller-manager.kubeconfig" \
    --bind-address 127.0.0.1 --secure-port 0 --leader-elect=false \
    --use-service-account-credentials --service-account-private-key-file "$pki/sa.key" \
    --root-ca-file "$pki/ca.crt" --kube-api-qps 200 --kube-api-burst 400 \
    --concurrent-gc-syncs 20 --concurrent-job-syncs 20 --terminated-pod-gc-threshold 12500
  start kube-scheduler "$bin_dir/kube-scheduler" \
    --kubeconfig "$dir/kube-scheduler.kubeconfig" \
    --authentication-kubeconfig "$dir/kube-scheduler.kubeconfig" \
    --authorization-kubeconfig "$dir/kube-scheduler.kubeconfig" \
    --bind-address 127.0.0.1 --secure-port 0 --leader-elect=false \
    --kube-api-qps 500 --kube-api-burst 1000
  start kwok "$kwok_bin" --kubeconfig "$dir/kwok.kubeconfig" --config "$stages" \
    --manage-all-nodes=false --manage-nodes-with-annotation-selector kwok.x-k8s.io/node=fake \
    --manage-nodes-with-label-selector "" --manage-single-node "" \
    --cidr 10.244.0.0/16 --node-ip 10.0.0.1 --node-lease-duration-seconds 40 \
    --server-address "127.0.0.1:$kwok_port"

  # The controller-manager is up once it has created the default ServiceAccount.
  wait_for "the default ServiceAccount (kube-controller-manager)" kube-controller-manager 60 \
    "$kubectl" --kubeconfig "$dir/kubeconfig" get serviceaccount default -n default || return 1
  # KWOK binds its port last: give it a moment to lose it before calling the start good.
  local component
  for component in kube-scheduler kwok; do
    lost_port "$component" && return 2
    alive "$component" || {
      show_log "$component"
      return 1
    }
  done
  return 0
}

up() {
  local owner="" with_nodes=true
  bare=false
  while (($#)); do
    case $1 in
      --owner) owner=$2; shift 2 ;;
      --no-nodes) with_nodes=false; shift ;;
      --bare) bare=true; with_nodes=false; shift ;;
      *) die "unknown option $1" ;;
    esac
  done
  binaries
  [[ -x "$kwok_bin" ]] || die "no kwok binary at $kwok_bin: run scripts/controlplane.sh"
  [[ ! -f "$dir/run/pids" ]] || die "a cluster already runs in $dir (scripts/cluster.sh down $dir)"
  mkdir -p "$dir/logs" "$dir/run"
  : >"$dir/run/pids"
  local began=$SECONDS
  make_pki "$dir/pki"

  if [[ -n "$owner" ]]; then
    # Stops the cluster when its owner (a test JVM, the demo shell) is gone, however it ended.
    (
      trap '' HUP INT
      while kill -0 "$owner" 2>/dev/null && [[ -f "$dir/run/pids" ]]; do sleep 1; done
      [[ -f "$dir/run/pids" ]] && "$root/scripts/cluster.sh" down "$dir" >/dev/null 2>&1
    ) </dev/null >/dev/null 2>&1 &
    echo $! >"$dir/run/watchdog"
  fi

  # A component that lost its port to another process (two launchers picking at once) is not a
  # failure of the cluster: start again on other ports (docs/testing.md "Ports").
  local attempt status
  for attempt in 1 2 3 4 5 6 7 8; do
    status=0
    start_control_plane || status=$?
    ((status == 0)) && break
    if ((status != 2)); then
      stop_all
      exit 1
    fi
    log "a port was taken before its component bound it; starting again on other ports"
    stop_components
    mkdir -p "$dir/logs/lost-port-$attempt"
    mv "$dir"/logs/*.log "$dir/logs/lost-port-$attempt/" 2>/dev/null || true
    rm -rf "$dir/etcd"
  done
  if ((status != 0)); then
    log "every start lost a port to another process; giving up"
    stop_all
    exit 1
  fi

  export KUBECONFIG=$dir/kubeconfig
  device_classes | "$kubectl" apply -f - >/dev/null
  if $with_nodes; then
    declared_node_lines | apply_nodes || { stop_all; exit 1; }
  fi
  if [[ -n "$owner" ]] && ! kill -0 "$owner" 2>/dev/null; then
    stop_all
    die "the owner (process $owner) ended while the cluster started; stopped it"
  fi
  log "up in $((SECONDS - began)) s: $("$kubectl" get nodes --no-headers 2>/dev/null | wc -l) nodes; logs in $dir/logs"
  echo "$dir/kubeconfig"
}

down() {
  stop_all
  rm -rf "$dir/etcd"
}

add_node() {
  (($# == 8 || $# == 9)) ||
    die "usage: cluster.sh add-node DIR NAME CARD PRODUCT ZONE REGION GPUS CPU MEMORY [device-plugin|dra]"
  binaries
  export KUBECONFIG=$dir/kubeconfig
  echo "$*" | apply_nodes
}

remove_node() {
  (($# == 1)) || die "usage: cluster.sh remove-node DIR NAME"
  binaries
  KUBECONFIG=$dir/kubeconfig "$kubectl" delete node "$1" --wait >/dev/null
}

command=${1:-}
dir=${2:-}
[[ -n "$command" && -n "$dir" ]] || die "usage: cluster.sh up|down|add-node|remove-node DIR ..."
mkdir -p "$dir"
dir=$(cd "$dir" && pwd)
shift 2
case $command in
  up) up "$@" ;;
  down) down ;;
  add-node) add_node "$@" ;;
  remove-node) remove_node "$@" ;;
  *) die "unknown command $command" ;;
esac
