#!/usr/bin/env bash
# Regenerates the CRDs from the Java model and copies them to crds/ and the Helm chart
# (commit the result); the chart also gets a copy of policies/.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
mvn -B -q -DskipTests -pl operator process-classes
cp operator/target/classes/META-INF/fabric8/*-v1.yml crds/
# The generator sorts printer columns by JSON path; AGE goes last, as for Kubernetes' own kinds.
java operator/src/test/java/io/gpureservation/api/CrdColumns.java crds/*-v1.yml
"$root/scripts/sync-chart-crds.sh"
git status --short crds/ policies/ helm/gpu-reservation-operator/files/
