#!/usr/bin/env bash
# Runs the JMH benchmarks of the operator module (operator/src/test/java/**/bench).
# Usage: scripts/bench.sh [JMH arguments...]
#   Short defaults -wi 2 -i 3 -f 1 -w 1s -r 1s, each one unless the arguments give that option:
#   scripts/bench.sh -wi 5 -i 10 -f 2 MatchingBenchmark.podStartThatMatches
#   scripts/bench.sh -p reservations=1000,10000 -rf text -rff /tmp/bench.txt
# Not part of the test command: benchmarks never run under surefire.
set -euo pipefail
cd "$(dirname "$0")/.."

cp_file=operator/target/bench.classpath
mvn -B -q -pl operator test-compile dependency:build-classpath \
  -Dmdep.outputFile="$PWD/$cp_file" -Dmdep.includeScope=test
test -s operator/target/test-classes/META-INF/BenchmarkList || {
  echo "JMH annotation processor did not run: no META-INF/BenchmarkList" >&2
  exit 1
}

defaults=()
for option in "-wi 2" "-i 3" "-f 1" "-w 1s" "-r 1s"; do
  name=${option% *}
  given=false
  for arg in "$@"; do
    if [ "$arg" = "$name" ]; then given=true; fi
  done
  if [ "$given" = false ]; then defaults+=($option); fi
done
exec java -cp "operator/target/test-classes:operator/target/classes:$(cat "$cp_file")" \
  org.openjdk.jmh.Main "${defaults[@]}" "$@"
