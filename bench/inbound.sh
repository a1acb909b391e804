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
require_dotnet
need_command wrk wrk
need_command curl curl
need_command python3 python3
need_command openssl openssl

work=$(mktemp -d /tmp/causeloop-bench.XXXXXX)
chmod 755 "$work"
cleanup() {
  [ -n "${service_pid:-}" ] && kill "$service_pid" 2>/dev/null && wait "$service_pid" 2>/dev/null || true
  stop_cluster "$work/pg"
  rm -rf "$work"
}
trap cleanup EXIT

pg_port=$(free_port)
start_cluster "$work/pg" "$pg_port" fast
dotnet build src/Api/Causeloop.Api.csproj -c Release -nologo -v q >/dev/null

export ConnectionStrings__Causeloop="Host=127.0.0.1;Port=$pg_port;Username=postgres;Database=postgres"
export Causeloop__Secrets__Key=$(openssl rand -base64 32)
export Causeloop__Inbound__RateLimitPerSecond=100000000
export ASPNETCORE_ENVIRONMENT=Production
export Logging__LogLevel__Default=Warning
api=(dotnet src/Api/bin/Release/net10.0/Causeloop.Api.dll)
port=$(free_port)
url="http://127.0.0.1:$port"

key=$("${api[@]}" api-keys create --workspace bench --scopes connectors:admin,webhooks:admin)
"${api[@]}" --urls "$url" > "$work/service.log" 2>&1 &
service_pid=$!
for _ in $(seq 1 60); do curl -fsS "$url/health/ready" >/dev/null 2>&1 && break; sleep 0.5; done

json() { python3 -c "import json,sys; print(json.load(sys.stdin)['$1'])"; }
connector=$(curl -fsS -H "Authorization: Bearer $key" -H 'content-type: application/json' \
  -d '{"name":"bench","kind":"custom"}' "$url/v1/connectors" | json id)
secret=$(curl -fsS -H "Authorization: Bearer $key" -H 'content-type: application/json' \
  -d "{\"connector_id\":\"$connector\"}" "$url/v1/webhooks" | json signing_secret)

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

rps() { awk '/Requests\/sec/ {print $2}' "$1"; }
p99() { awk '/ 99%/ {print $2}' "$1"; }
errors() { awk '/Non-2xx/ {print $5}' "$1"; }
stored=$(PGPASSWORD= psql -h 127.0.0.1 -p "$pg_port" -U postgres -d postgres -tAc "select count(*) from inbound_events")
peak_kb=$(awk '/VmHWM/ {print $2}' "/proc/$service_pid/status")

printf '\n%-34s %12s %10s\n' "run ($connections connections, ${duration}s)" "requests/s" "p99"
printf '%-34s %12s %10s\n' "baseline GET /health/live" "$(rps "$work/baseline.txt")" "$(p99 "$work/baseline.txt")"
printf '%-34s %12s %10s\n' "signed inbound POST (stored)" "$(rps "$work/inbound.txt")" "$(p99 "$work/inbound.txt")"
python3 -c "print(f'inbound / baseline ratio: {float(\"$(rps "$work/inbound.txt")\") / float(\"$(rps "$work/baseline.txt")\"):.3f}')"
echo "inbound responses that were not 2xx: $(errors "$work/inbound.txt"; true)"
echo "inbound events stored: $stored"
echo "service peak resident memory: $((peak_kb / 1024)) MiB"
