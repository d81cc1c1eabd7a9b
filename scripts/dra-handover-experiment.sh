#!/usr/bin/env bash
# The DeviceTaintRule hand-over experiment of docs/capacity-holding.md ("A device taint for the
# time of the hand-over"), reproducible on the project's cluster. Not part of the operator.
#
#   scripts/cluster.sh up DIR && scripts/dra-handover-experiment.sh DIR [RUNS] [--no-rule]
#
# On l20-dra-a-1 (8 L20 DRA devices): 7 ordinary pods take 7 devices, placeholder res/hold-0 the
# 8th; pending for it: other/competitor (priority 0) and res2/hold2-0 (the placeholders' class);
# res/claimant created gated, its claim given a toleration for gpureservation.io/handover=<its uid>
# by a MutatingAdmissionPolicy (standing in for a webhook). Each run: a DeviceTaintRule
# (NoSchedule) on the placeholder's device, placeholder deleted, 8 s with the claimant still gated,
# then claimant nominated, pinned and ungated, rule deleted once it is bound. Prints a line per run:
# who holds the device after each step. --no-rule is the control (no rule is written);
# RULE_WAIT=<s> is the pause between creating the rule and deleting the placeholder (default 3).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
dir=${1:?usage: $0 DIR [RUNS] [--no-rule]}
runs=${2:-3}
no_rule=false
[[ "${3:-}" == "--no-rule" ]] && no_rule=true
k() { "$("$root/scripts/controlplane.sh")/kubectl" --kubeconfig "$dir/kubeconfig" "$@"; }
node=l20-dra-a-1

# pod NS NAME [PRIORITY_CLASS] [GATED]: a pod claiming one L20 through the namespace's template l20
pod() {
  printf 'apiVersion: v1\nkind: Pod\nmetadata: {name: %s, namespace: %s}\nspec:\n' "$2" "$1"
  printf '  terminationGracePeriodSeconds: 0\n'
  [[ -n "${3:-}" ]] && printf '  priorityClassName: %s\n' "$3"
  [[ -n "${4:-}" ]] && printf '  schedulingGates: [{name: exp/gate}]\n'
  printf '  resourceClaims: [{name: gpu, resourceClaimTemplateName: l20}]\n'
  printf '  containers: [{name: c, image: pause, resources: {requests: {cpu: "1", memory: 1Gi}, claims: [{name: gpu}]}}]\n---\n'
}

setup() {
  printf 'apiVersion: scheduling.k8s.io/v1\nkind: PriorityClass\nmetadata: {name: exp-placeholder}\n'
  printf 'value: 1000000\npreemptionPolicy: Never\n---\n'
  for ns in res res2 other; do
    printf 'apiVersion: v1\nkind: Namespace\nmetadata: {name: %s}\n---\n' "$ns"
    cat <<EOF
apiVersion: resource.k8s.io/v1
kind: ResourceClaimTemplate
metadata: {name: l20, namespace: $ns}
spec:
  spec:
    devices:
      requests:
      - name: gpu
        exactly:
          deviceClassName: gpu.nvidia.com
          selectors: [{cel: {expression: 'device.attributes["gpu.nvidia.com"].productName == "NVIDIA L20"'}}]
---
EOF
  done
  cat <<'EOF'
apiVersion: admissionregistration.k8s.io/v1
kind: MutatingAdmissionPolicy
metadata: {name: handover-toleration}
spec:
  matchConstraints:
    resourceRules: [{apiGroups: [resource.k8s.io], apiVersions: [v1], operations: [CREATE], resources: [resourceclaims]}]
  matchConditions:
  - name: claimant
    expression: 'has(object.metadata.ownerReferences) && object.metadata.ownerReferences.exists(o, o.kind == "Pod" && o.name == "claimant")'
  failurePolicy: Fail
  reinvocationPolicy: Never
  mutations:
  - patchType: JSONPatch
    jsonPatch:
      expression: >
        [JSONPatch{op: "add", path: "/spec/devices/requests/0/exactly/tolerations",
          value: [{"key": "gpureservation.io/handover", "operator": "Equal",
                   "value": string(object.metadata.ownerReferences.filter(o, o.kind == "Pod")[0].uid),
                   "effect": "NoSchedule"}]}]
---
apiVersion: admissionregistration.k8s.io/v1
kind: MutatingAdmissionPolicyBinding
metadata: {name: handover-toleration}
spec: {policyName: handover-toleration}
EOF
}

# holder: which pods' claims are allocated gpu-7 (pod names, or "-")
holder() {
  local h
  h=$(k get resourceclaims -A -o json | jq -r --arg d "$dev" '[.items[] | select(any(.status.allocation.devices.results[]?; .device == $d)) | .metadata.ownerReferences[0].name] | join("+")')
  echo "${h:--}"
}

setup | k apply -f - >/dev/null
sleep 2
for run in $(seq 1 "$runs"); do
  k delete devicetaintrules -l gpureservation.io/handover --wait=true >/dev/null
  for ns in res res2 other; do k -n "$ns" delete pod --all --wait=true >/dev/null; done
  for i in 1 2 3 4 5 6 7; do pod other "fill-$i"; done | k apply -f - >/dev/null
  sleep 5
  pod res hold-0 exp-placeholder | k apply -f - >/dev/null
  sleep 4
  { pod other competitor; pod res2 hold2-0 exp-placeholder; pod res claimant exp-placeholder gated; } | k apply -f - >/dev/null
  sleep 4
  uid=$(k -n res get pod claimant -o jsonpath='{.metadata.uid}')
  claim=$(k -n res get pod hold-0 -o jsonpath='{.status.resourceClaimStatuses[0].resourceClaimName}')
  read -r drv pool dev < <(k -n res get resourceclaim "$claim" -o json |
    jq -r '.status.allocation.devices.results[0] | "\(.driver) \(.pool) \(.device)"')
  before=$(holder)
  if ! $no_rule; then
    k create -f - >/dev/null <<EOF
apiVersion: resource.k8s.io/v1
kind: DeviceTaintRule
metadata: {name: handover-$uid, labels: {gpureservation.io/handover: "true"}}
spec:
  deviceSelector: {driver: $drv, pool: $pool, device: $dev}
  taint: {key: gpureservation.io/handover, value: "$uid", effect: NoSchedule}
EOF
  fi
  sleep "${RULE_WAIT:-3}"
  tainted=$(holder)
  k -n res delete pod hold-0 --wait=false >/dev/null
  sleep 8
  freed=$(holder)
  k -n res patch pod claimant --subresource=status --type=merge -p "{\"status\":{\"nominatedNodeName\":\"$node\"}}" >/dev/null
  k -n res patch pod claimant --type=json -p '[{"op":"remove","path":"/spec/schedulingGates"},
    {"op":"add","path":"/spec/affinity","value":{"nodeAffinity":{"requiredDuringSchedulingIgnoredDuringExecution":{"nodeSelectorTerms":[{"matchExpressions":[{"key":"kubernetes.io/hostname","operator":"In","values":["'$node'"]}]}]}}}}]' >/dev/null
  sleep 6
  ungated=$(holder)
  $no_rule || k delete devicetaintrule "handover-$uid" >/dev/null
  sleep 8
  phases=$(k get pods -A -o json | jq -r '[.items[] | select(.metadata.name | test("^(claimant|competitor|hold2-0)$")) | "\(.metadata.name)=\(.status.phase)"] | join(" ")')
  echo "run $run: $dev held by: before=$before rule-set=$tainted placeholder-deleted=$freed claimant-ungated=$ungated rule-deleted=$(holder); $phases"
done
