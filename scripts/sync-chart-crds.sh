#!/usr/bin/env bash
# Copies the committed CRDs (crds/*.yml, the one source of truth, generated from the Java model)
# and admission policies (policies/*.yaml, written by hand) into the Helm chart, which cannot read
# files outside its own folder. ChartCrdsTest fails when a copy is stale; run this after
# regenerating crds/ or editing policies/.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
shopt -s nullglob
copy() { # copy <source dir> <pattern> <chart files dir>
  local dest="$root/helm/gpu-reservation-operator/files/$3"
  mkdir -p "$dest"
  find "$dest" -name "$2" -delete
  for f in "$root/$1"/$2; do
    cp "$f" "$dest/"
  done
}
copy crds '*.yml' crds
copy policies '*.yaml' policies
