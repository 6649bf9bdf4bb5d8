#!/usr/bin/env bash
# Runs the 2PC cost benchmark (io.txlab.twopc.bench.TwopcBenchmark) from the repository root:
#   twopc-coordinator/bench.sh [--quick] [--out report/twopc-bench] [--help]
# It starts its own PostgreSQL clusters under twopc-coordinator/target/twopc-bench-run and stops them at the end.
# Needs contracts, platform and devstack installed: ./mvnw -q -o -pl contracts,platform,devstack -am install -DskipTests
set -euo pipefail
cd "$(dirname "$0")/.."
./mvnw -q -o -pl twopc-coordinator test-compile
cp_file=twopc-coordinator/target/bench.classpath
./mvnw -q -o -pl twopc-coordinator dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile="$PWD/$cp_file"
exec java -Xmx512m -XX:+UseSerialGC \
  -cp "twopc-coordinator/target/test-classes:twopc-coordinator/target/classes:$(cat "$cp_file")" \
  io.txlab.twopc.bench.TwopcBenchmark "$@"
