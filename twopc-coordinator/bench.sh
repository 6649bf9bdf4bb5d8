#!/usr/bin/env bash
# The 2PC cost benchmark, kept under this name for the links to it: it is ./txlab twopc-bench now (load-tests module,
# io.txlab.loadtests.twopc.TwopcBenchmark), which ./txlab compare --full also runs.
#   twopc-coordinator/bench.sh [--quick] [--out report/twopc-bench] [--help]
exec "$(dirname "$0")/../txlab" twopc-bench "$@"
