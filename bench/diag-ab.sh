#!/usr/bin/env bash
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd); cd "$root"
. scripts/lib/common.sh; . bench/lib.sh
bench_start
k=$("${api[@]}" api-keys create --workspace bench-ab --scopes webhooks:admin,events:write)
for i in 1 2 3; do node bench/outbound.mjs publish "$url" "$k"; done | tr '\n' ' '
echo "rss=$(peak_mib)"
