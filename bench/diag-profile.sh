#!/usr/bin/env bash
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd); cd "$root"
. scripts/lib/common.sh; . bench/lib.sh
bench_start
k=$("${api[@]}" api-keys create --workspace bench-prof --scopes webhooks:admin,events:write)
node bench/outbound.mjs publish "$url" "$k"   # warm-up
node bench/outbound.mjs publish "$url" "$k"
( node bench/outbound.mjs publish "$url" "$k"; node bench/outbound.mjs publish "$url" "$k" ) &
np=$!
sleep 0.5
~/.dotnet/tools/dotnet-trace collect -p $service_pid --profile dotnet-sampled-thread-time --duration 00:00:04 --format speedscope -o /tmp/diag/prof.nettrace > /tmp/diag/trace.log 2>&1 || ~/.dotnet/tools/dotnet-trace collect -p $service_pid --profile cpu-sampling --duration 00:00:04 --format speedscope -o /tmp/diag/prof.nettrace >> /tmp/diag/trace.log 2>&1
wait $np
