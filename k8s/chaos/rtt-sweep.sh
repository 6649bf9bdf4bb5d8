#!/usr/bin/env bash
# The network-distance sweep in a cluster: the same question as the local one (./txlab compare --rtt-sweep,
# adr/0032), asked with real packets. For each round trip in the list, Chaos Mesh delays every packet the
# namespace's pods send by half of it (k8s/chaos/network-distance.yaml), then the load-test Job runs once and its
# result lines are kept; at 0 the experiment is removed.
#
#   k8s/chaos/rtt-sweep.sh <namespace> <overlay-dir> [rtt-ms,...]
#   k8s/chaos/rtt-sweep.sh txlab k8s/overlays/all 0,1,10,50
#
# <overlay-dir> is the overlay deployed in <namespace>: each step deletes the finished Job and applies the overlay
# again to get a fresh suspended one, as k8s/README.md does by hand.
#
# Environment:
#   TXLAB_RTT_RATE     orders/s, all of the overlay's flows together, taking turns (default 5)
#   TXLAB_RTT_SECONDS  seconds of arrivals per round trip (default 60)
#   TXLAB_RTT_OUT      where each step's log and rtt-sweep.tsv go (default ./report/k8s-rtt)
#   KUBECTL            kubectl binary (default kubectl)
# Exit status: 0 every step ran, 2 usage, 3 a step's load test failed or did not end in time, 4 kubectl failed.
# The delay is removed when the script ends, whatever happened.
set -euo pipefail

usage() {
  echo "usage: $0 <namespace> <overlay-dir> [rtt-ms,...]   (default 0,1,10,50)" >&2
  exit 2
}
[[ $# -eq 2 || $# -eq 3 ]] || usage
namespace=$1
overlay=$2
list=${3:-0,1,10,50}
kubectl=${KUBECTL:-kubectl}
rate=${TXLAB_RTT_RATE:-5}
seconds=${TXLAB_RTT_SECONDS:-60}
out=${TXLAB_RTT_OUT:-./report/k8s-rtt}
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
chaos=txlab-network-distance
job=txlab-loadtest

[[ -d $overlay ]] || { echo "overlay $overlay is not a directory" >&2; exit 2; }
[[ $rate =~ ^[0-9]+([.][0-9]+)?$ && $rate != 0 ]] || { echo "TXLAB_RTT_RATE must be a positive number, got '$rate'" >&2; exit 2; }
[[ $seconds =~ ^[1-9][0-9]*$ ]] || { echo "TXLAB_RTT_SECONDS must be a positive whole number, got '$seconds'" >&2; exit 2; }
IFS=, read -r -a rtts <<< "$list"
declare -A seen=()
for rtt in "${rtts[@]}"; do
  [[ $rtt =~ ^(0|[1-9][0-9]{0,3}|10000)$ ]] || { echo "round trips are whole milliseconds 0 to 10000, got '$rtt'" >&2; exit 2; }
  [[ -z ${seen[$rtt]:-} ]] || { echo "round trip $rtt ms is listed twice" >&2; exit 2; }
  seen[$rtt]=1
done

# kubectl in the namespace; a failure ends the sweep with status 4 (the trap still removes the delay).
k() {
  "$kubectl" -n "$namespace" "$@" || { echo "kubectl -n $namespace $* failed" >&2; exit 4; }
}

heal() {
  "$kubectl" -n "$namespace" delete networkchaos "$chaos" --ignore-not-found --wait=true >/dev/null \
    || echo "could not delete networkchaos/$chaos in $namespace: delete it by hand" >&2
}
trap heal EXIT

mkdir -p "$out"
tsv=$out/rtt-sweep.tsv
printf 'rttMs\tlabel\tflow\torders\tfinal\tconfirmed\tcancelled\tunfinished\terrors\tp50Ms\tp95Ms\tp99Ms\tmaxMs\n' > "$tsv"

for rtt in "${rtts[@]}"; do
  label="rtt-${rtt}ms"
  echo "[$(date +%T)] $label: fresh load-test Job, ${rate} orders/s for ${seconds} s"
  k delete job "$job" --ignore-not-found --wait=true >/dev/null
  "$kubectl" apply --server-side -k "$overlay" >/dev/null || { echo "kubectl apply -k $overlay failed" >&2; exit 4; }
  k patch configmap txlab-loadtest --type merge -p "{\"data\":{\"TXLAB_LOADTEST_RATE\":\"$rate\",\"TXLAB_LOADTEST_SECONDS\":\"$seconds\",\"TXLAB_LOADTEST_LABEL\":\"$label\"}}" >/dev/null
  if (( rtt == 0 )); then
    heal
  else
    # Half the round trip on every packet each pod sends, in microseconds (1 ms → 500us).
    sed "s/latency: \"0us\"/latency: \"$(( rtt * 500 ))us\"/" "$here/network-distance.yaml" | k apply -f - >/dev/null
    echo "[$(date +%T)] $label: waiting for Chaos Mesh to delay every pod's packets by $(( rtt * 500 )) us"
    k wait "networkchaos/$chaos" --for=condition=AllInjected --timeout=180s >/dev/null
  fi
  k patch job "$job" --type merge -p '{"spec":{"suspend":false}}' >/dev/null
  # Arrivals, then the last orders' long-polls and Gatling's start and report: ten minutes of slack is plenty.
  give_up=$(( $(date +%s) + seconds + 600 ))
  while :; do
    state=$(k get job "$job" -o 'jsonpath={.status.succeeded}/{.status.failed}')
    [[ $state == 1/* ]] && { status=ok; break; }
    [[ $state == */[1-9]* ]] && { status=failed; break; }
    (( $(date +%s) < give_up )) || { status=timeout; break; }
    sleep 5
  done
  log=$out/$label.log
  "$kubectl" -n "$namespace" logs "job/$job" > "$log" 2>&1 || true
  # TXLAB-RESULT label=… flow=… orders=… …: the values in the header's order.
  grep '^TXLAB-RESULT ' "$log" | awk -v rtt="$rtt" 'BEGIN { OFS = "\t" } {
      line = rtt
      for (i = 2; i <= NF; i++) { split($i, kv, "="); line = line OFS kv[2] }
      print line
    }' >> "$tsv" || true
  if [[ $status != ok ]]; then
    echo "[$(date +%T)] $label: the load test $status (log: $log); the sweep stops here" >&2
    exit 3
  fi
  echo "[$(date +%T)] $label: done"
  grep '^TXLAB-RESULT ' "$log" | sed 's/^TXLAB-RESULT /  /'
done

echo "every step ran; results: $tsv"
if command -v column >/dev/null; then column -t -s $'\t' "$tsv"; else cat "$tsv"; fi
