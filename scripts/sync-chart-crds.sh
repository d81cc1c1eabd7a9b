#!/usr/bin/env bash
# Copies the committed CRDs (crds/*.yml, the one source of truth, generated from the Java model)
# into the Helm chart, which cannot read files outside its own folder. ChartCrdsTest fails when
# the copy is stale; run this after regenerating crds/.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
dest="$root/helm/gpu-reservation-operator/files/crds"
mkdir -p "$dest"
find "$dest" -name '*.yml' -delete
shopt -s nullglob
for crd in "$root"/crds/*.yml; do
  cp "$crd" "$dest/"
done
