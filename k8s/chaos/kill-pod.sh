#!/usr/bin/env bash
# Kills one pod of a txlab deployment in a cluster, the way the local chaos runs kill a process: SIGKILL, no grace
# period. Prints the kill time in epoch milliseconds and appends one JSON line to the timeline file, so the
# report's recovery timeline works for cluster runs too.
#
#   k8s/chaos/kill-pod.sh <namespace> <deployment | label-selector>
#   k8s/chaos/kill-pod.sh txlab-outbox order-service
#   k8s/chaos/kill-pod.sh txlab 'app.kubernetes.io/name=payment-service'
#
# Environment:
#   TXLAB_CHAOS_TIMELINE  timeline file (default: ./chaos-timeline.jsonl)
#   KUBECTL               kubectl binary (default: kubectl)
# The pod is chosen at random among the Running pods that match (the deployment's own selector when a name is
# given). Exit status: 0 killed, 2 usage, 3 nothing to kill, 4 kubectl failed.
set -euo pipefail

usage() {
  echo "usage: $0 <namespace> <deployment|label-selector>" >&2
  exit 2
}
[[ $# -eq 2 ]] || usage
namespace=$1
target=$2
kubectl=${KUBECTL:-kubectl}
timeline=${TXLAB_CHAOS_TIMELINE:-./chaos-timeline.jsonl}

if [[ $target == *=* ]]; then
  selector=$target
else
  # The deployment's matchLabels as a selector string: k1=v1,k2=v2.
  selector=$("$kubectl" -n "$namespace" get deployment "$target" \
    -o go-template='{{range $k, $v := .spec.selector.matchLabels}}{{$k}}={{$v}},{{end}}') || exit 4
  selector=${selector%,}
  [[ -n $selector ]] || { echo "deployment $target has no matchLabels selector" >&2; exit 4; }
fi

mapfile -t pods < <("$kubectl" -n "$namespace" get pods -l "$selector" --field-selector=status.phase=Running \
  -o go-template='{{range .items}}{{if not .metadata.deletionTimestamp}}{{.metadata.name}}{{"\n"}}{{end}}{{end}}')
if [[ ${#pods[@]} -eq 0 || -z ${pods[0]} ]]; then
  echo "no running pod matches '$selector' in namespace $namespace" >&2
  exit 3
fi
pod=${pods[RANDOM % ${#pods[@]}]}

# Time taken just before the delete call: the pod dies within the API round trip after this instant.
killed_at=$(date +%s%3N)
"$kubectl" -n "$namespace" delete pod "$pod" --grace-period=0 --force --wait=false >/dev/null 2>&1 || exit 4

mkdir -p "$(dirname "$timeline")"
printf '{"event":"kill","epochMillis":%s,"namespace":"%s","target":"%s","pod":"%s","selector":"%s"}\n' \
  "$killed_at" "$namespace" "$target" "$pod" "$selector" >> "$timeline"
echo "$killed_at"
