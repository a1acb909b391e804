#!/usr/bin/env bash
# Inbound ingestion throughput, measured against a baseline taken in the same run:
# signed POSTs to /v1/webhooks/inbound/{connector} (verify HMAC, parse JSON, store raw bytes + jsonb,
# write the outbox event, commit) versus GET /health/live (the same server doing almost nothing).
# Prints requests/s, latency and the ratio, and the service's peak memory. Loopback only; bounded in time.
#
#   bench/inbound.sh [seconds per run, default 10] [connections, default 16]
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
. scripts/lib/common.sh

duration=${1:-10}
connections=${2:-16}
. bench/lib.sh
bench_start

key=$("${api[@]}" api-keys create --workspace bench --scopes connectors:admin,webhooks:admin)
connector=$(curl -fsS -H "Authorization: Bearer $key" -H 'content-type: application/json' \
  -d '{"name":"bench","kind":"custom"}' "$url/v1/connectors" | json_field id)
secret=$(curl -fsS -H "Authorization: Bearer $key" -H 'content-type: application/json' \
  -d "{\"connector_id\":\"$connector\"}" "$url/v1/webhooks" | json_field signing_secret)

body='{"issue":{"key":"CL-1042","summary":"Checkout fails with 500 on submit","labels":["checkout","p1"],"reporter":"ops@example.com"},"source":"jira","changelog":[{"field":"status","from":"Open","to":"In Progress"}]}'
export BENCH_BODY="$body"
export BENCH_SIGNATURE=$(printf '%s' "$body" | openssl dgst -sha256 -hmac "$secret" -r | cut -d' ' -f1)
cat > "$work/post.lua" <<'LUA'
wrk.method = "POST"
wrk.body = os.getenv("BENCH_BODY")
wrk.headers["content-type"] = "application/json"
wrk.headers["x-causeloop-signature"] = os.getenv("BENCH_SIGNATURE")
LUA

# Warm up both paths (JIT, connection pools), then measure.
wrk -t2 -c"$connections" -d3s "$url/health/live" >/dev/null
wrk -t2 -c"$connections" -d3s -s "$work/post.lua" "$url/v1/webhooks/inbound/$connector" >/dev/null
wrk -t2 -c"$connections" -d"${duration}s" --latency "$url/health/live" > "$work/baseline.txt"
wrk -t2 -c"$connections" -d"${duration}s" --latency -s "$work/post.lua" "$url/v1/webhooks/inbound/$connector" > "$work/inbound.txt"

errors() { awk '/Non-2xx/ {print $5}' "$1"; }
stored=$(bench_sql "select count(*) from inbound_events")

printf '\n%-34s %12s %10s\n' "run ($connections connections, ${duration}s)" "requests/s" "p99"
printf '%-34s %12s %10s\n' "baseline GET /health/live" "$(rps "$work/baseline.txt")" "$(p99 "$work/baseline.txt")"
printf '%-34s %12s %10s\n' "signed inbound POST (stored)" "$(rps "$work/inbound.txt")" "$(p99 "$work/inbound.txt")"
python3 -c "print(f'inbound / baseline ratio: {float(\"$(rps "$work/inbound.txt")\") / float(\"$(rps "$work/baseline.txt")\"):.3f}')"
echo "inbound responses that were not 2xx: $(errors "$work/inbound.txt"; true)"
echo "inbound events stored: $stored"
echo "service peak resident memory: $(peak_mib) MiB"
