#!/usr/bin/env bash
# The performance figures of the service, each next to the baseline it is divided by, measured in the
# same run on this machine: a throwaway durable Postgres (fsync and synchronous_commit on), the service
# as a separate Release process, wrk and Node on loopback. Prints one key=value line per figure and
# writes the same table, with the machine's cores and memory, into docs/benchmarks.md.
#
#   bench/run.sh            (about ten minutes; loopback only, every load bounded in time)
#   BENCH_ONLY="inbound outbound" bench/run.sh   (some parts only: inbound outbound latency fanout claim keyed
#                                                 filters peer;
#                                                 peer needs outbound and latency too: it is divided by them)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
. scripts/lib/common.sh
need_command node nodejs
. bench/lib.sh
bench_start
need_command pgbench postgresql-contrib

want() { [ -z "${BENCH_ONLY:-}" ] || [[ " $BENCH_ONLY " == *" $1 "* ]]; }
out="$work/figures.txt"
: > "$out"
fig() { printf '%s=%s\n' "$1" "$2" | tee -a "$out"; }
ratio() { python3 -c "print(f'{float(\"$1\") / float(\"$2\"):.3f}')"; }

# A 1 KB JSON body, the same for the baseline and the inbound requests.
body=$(python3 -c '
import json
issue = {"key": "CL-1042", "summary": "Checkout fails with 500 on submit", "labels": ["checkout", "p1"],
         "reporter": "ops@example.com", "source": "jira",
         "changelog": [{"field": "status", "from": "Open", "to": "In Progress"}]}
issue["description"] = "x" * (1024 - len(json.dumps(issue)) - len(", \"description\": \"\""))
print(json.dumps(issue), end="")')

# Baseline: what this database commits durably, one 1 KB jsonb row per transaction, 8 clients.
bench_sql "create table bench_scratch (id bigserial primary key, body jsonb not null)" >/dev/null
printf "insert into bench_scratch (body) values ('%s'::jsonb);\n" "$body" > "$work/insert.sql"
pgbench -h 127.0.0.1 -p "$pg_port" -U postgres -n -c 8 -j 2 -T 15 -f "$work/insert.sql" postgres > "$work/pgbench.txt" 2>&1
baseline=$(awk '/^tps/ {print int($3); exit}' "$work/pgbench.txt")
fig baseline_pg_inserts_per_s "$baseline"
# The mean commit latency behind it: where a disk flushes slowly, the baseline is low and ratios flatter group commit.
fig baseline_pg_commit_latency_ms "$(awk '/^latency average/ {print $4; exit}' "$work/pgbench.txt")"

# The worker's claim query, timed by the worker's own code (median of 200), on the empty tables.
dotnet build bench/Causeloop.Bench -c Release -nologo -v q > "$work/bench-build.log" 2>&1 || { cat "$work/bench-build.log" >&2; exit 1; }
claim_ms() { dotnet bench/Causeloop.Bench/bin/Release/net10.0/Causeloop.Bench.dll claim "$ConnectionStrings__Causeloop"; }
if want claim; then
  claim_empty=$(claim_ms)
  fig claim_empty_tables_ms "$claim_empty"
fi

if want inbound; then
# Inbound: signed POSTs, 64 connections, to one connector and spread over 16; only 2xx count.
key=$("${api[@]}" api-keys create --workspace bench-inbound --scopes connectors:admin,webhooks:admin)
paths=(); sigs=()
for i in $(seq 1 16); do
  connector=$(curl -fsS -H "Authorization: Bearer $key" -H 'content-type: application/json' \
    -d "{\"name\":\"bench $i\",\"kind\":\"custom\"}" "$url/v1/connectors" | json_field id)
  secret=$(curl -fsS -H "Authorization: Bearer $key" -H 'content-type: application/json' \
    -d "{\"connector_id\":\"$connector\"}" "$url/v1/webhooks" | json_field signing_secret)
  paths+=("/v1/webhooks/inbound/$connector")
  sigs+=("$(printf '%s' "$body" | openssl dgst -sha256 -hmac "$secret" -r | cut -d' ' -f1)")
done
export BENCH_BODY="$body"
{
  echo 'local targets = {'
  for i in "${!paths[@]}"; do printf '  {"%s", "%s"},\n' "${paths[$i]}" "${sigs[$i]}"; done
  echo '}'
  cat <<'LUA'
local spread = os.getenv("BENCH_SPREAD") == "1"
local n = 0
request = function()
  local t = targets[1]
  if spread then n = n + 1; t = targets[(n % #targets) + 1] end
  return wrk.format("POST", t[1], { ["content-type"] = "application/json", ["x-causeloop-signature"] = t[2] }, os.getenv("BENCH_BODY"))
end
LUA
} > "$work/inbound.lua"

accepted_per_s() { # wrk output -> 2xx per second
  python3 - "$1" <<'PY'
import re, sys
text = open(sys.argv[1]).read()
m = re.search(r"(\d+) requests in ([\d.]+)(ms|s|m)\b", text)
seconds = float(m.group(2)) * {"ms": 0.001, "s": 1, "m": 60}[m.group(3)]
bad = re.search(r"Non-2xx or 3xx responses: (\d+)", text)
print(f"{(int(m.group(1)) - (int(bad.group(1)) if bad else 0)) / seconds:.0f}")
PY
}
# Warm up until the JIT has settled (tiered compilation keeps optimising for the first ~15 s of load).
wrk -t2 -c64 -d15s -s "$work/inbound.lua" "$url" >/dev/null
wrk -t2 -c64 -d10s -s "$work/inbound.lua" "$url" > "$work/inbound1.txt"
inbound1=$(accepted_per_s "$work/inbound1.txt")
fig inbound_1_connector_per_s "$inbound1"
fig inbound_1_connector_ratio "$(ratio "$inbound1" "$baseline")"
BENCH_SPREAD=1 wrk -t2 -c64 -d10s -s "$work/inbound.lua" "$url" > "$work/inbound16.txt"
inbound16=$(accepted_per_s "$work/inbound16.txt")
fig inbound_16_connectors_per_s "$inbound16"
fig inbound_16_connectors_ratio "$(ratio "$inbound16" "$baseline")"
stored=$(bench_sql "select count(*) from inbound_events")
fig inbound_stored_events "$stored"
fi

# Outbound: each scenario in its own workspace, so webhooks of one do not receive another's events.
outbound() {
  local scenario=$1 k
  k=$("${api[@]}" api-keys create --workspace "bench-$scenario" --scopes webhooks:admin,events:write)
  node bench/outbound.mjs "$scenario" "$url" "$k" | tee -a "$out"
}
if want outbound; then
  outbound throughput10
  fig outbound_10_ratio "$(ratio "$(awk -F= '/^outbound_10_deliveries_per_s/ {print $2}' "$out")" "$baseline")"
  outbound throughput1
  fig outbound_1_ratio "$(ratio "$(awk -F= '/^outbound_1_deliveries_per_s/ {print $2}' "$out")" "$baseline")"
  # The one-endpoint figure publishes one event per delivery (32 clients): POST /v1/events alone, in the same run, bounds it.
  outbound publish
  fig outbound_1_vs_publish_only "$(ratio "$(awk -F= '/^outbound_1_deliveries_per_s/ {print $2}' "$out")" "$(awk -F= '/^publish_only_per_s/ {print $2}' "$out")")"
fi
if want latency; then
  outbound latency200
  outbound latency1000
fi
if want claim; then
  # 10,000 webhooks, all idle; then 1,000,000 finished deliveries and 100,000 waiting for a retry (due in a
  # day, spread over 100 of those webhooks), written straight into the tables.
  bench_sql "insert into workspaces (id, name, created_at) values (gen_random_uuid(), 'bench-claim', now())" >/dev/null
  bench_sql "insert into webhooks (id, workspace_id, direction, url, event_types, enabled, secret, created_at, updated_at)
    select gen_random_uuid(), (select id from workspaces where name = 'bench-claim'), 'outbound', 'http://127.0.0.1:9/idle',
           array['bench.idle'], true, '\\x00', now(), now()
    from generate_series(1, 10000)" >/dev/null
  fig claim_10000_webhooks_ms "$(claim_ms)"
  fig claim_10000_webhooks_ratio "$(ratio "$(awk -F= '/^claim_10000_webhooks_ms/ {print $2}' "$out")" "$claim_empty")"
  bench_sql "insert into events (id, workspace_id, type, body, created_at)
    select gen_random_uuid(), id, 'bench.idle', '{}'::bytea, now() from workspaces where name = 'bench-claim'" >/dev/null
  bench_sql "
    with hooks as (select id, workspace_id, row_number() over (order by id) as n from webhooks
                   where workspace_id = (select id from workspaces where name = 'bench-claim')),
         ev as (select e.id from events e join workspaces w on w.id = e.workspace_id where w.name = 'bench-claim')
    insert into deliveries (id, workspace_id, webhook_id, event_id, status, attempt_count, next_attempt_at, created_at, updated_at)
    select gen_random_uuid(), h.workspace_id, h.id, (select id from ev),
           case when g <= 1000000 then 'succeeded' else 'failed' end, 1,
           case when g <= 1000000 then null else now() + interval '1 day' end, now(), now()
    from generate_series(1, 1100000) g
    join hooks h on h.n = case when g <= 1000000 then 1 + g % 1000 else 1 + g % 100 end" >/dev/null
  bench_sql "analyze deliveries" >/dev/null
  fig claim_large_tables_ms "$(claim_ms)"
  fig claim_large_tables_ratio "$(ratio "$(awk -F= '/^claim_large_tables_ms/ {print $2}' "$out")" "$claim_empty")"
fi
want fanout && outbound fanout && outbound fanout10000
# Ordering keys and payload filters: each is divided by the same work without them, in the same run.
if want keyed; then outbound keyed; fi
if want filters; then outbound fanoutfilters; fi

# The peer (bench/peer): graphile-worker delivering to the same kind of receiver, on its own database in this
# cluster, while the service is idle. Each figure is printed with Causeloop ÷ peer.
if want peer && want outbound && want latency; then
  (cd bench/peer && npm ci --no-audit --no-fund --silent >/dev/null)
  bench_sql "create database peer" >/dev/null
  peer_url="postgres://postgres@127.0.0.1:$pg_port/peer"
  for scenario in throughput1 throughput10 latency200; do node bench/peer/peer.mjs "$scenario" "$peer_url" | tee -a "$out"; done
  value() { awk -F= -v k="$1" '$1 == k {print $2}' "$out"; }
  fig vs_peer_outbound_1 "$(ratio "$(value outbound_1_deliveries_per_s)" "$(value peer_outbound_1_deliveries_per_s)")"
  fig vs_peer_outbound_10 "$(ratio "$(value outbound_10_deliveries_per_s)" "$(value peer_outbound_10_deliveries_per_s)")"
  fig vs_peer_latency_200_p50 "$(ratio "$(value latency_200_p50_ms)" "$(value peer_latency_200_p50_ms)")"
  fig vs_peer_latency_200_p99 "$(ratio "$(value latency_200_p99_ms)" "$(value peer_latency_200_p99_ms)")"
fi

fig service_peak_rss_mib "$(peak_mib)"

# The table, with the machine it ran on (a full run only), into docs/benchmarks.md and the README.
[ -z "${BENCH_ONLY:-}" ] || exit 0
python3 - "$out" "$(nproc)" "$(free -g | awk '/Mem:/ {print $2}')" "$(bench_sql 'show server_version' | cut -d' ' -f1)" <<'PY'
import datetime, re, sys
figures, cores, memory, version = sys.argv[1:5]
targets = {
    "inbound_1_connector_ratio": ">= 1.0", "inbound_16_connectors_ratio": ">= 1.0",
    "outbound_10_ratio": ">= 0.5", "outbound_1_ratio": ">= 0.3",
    "latency_200_p50_ms": "<= 5", "latency_200_p99_ms": "<= 25",
    "latency_1000_p50_ms": "<= 10", "latency_1000_p99_ms": "<= 50",
    "fanout_1000_all_arrived_ms": "<= 300", "fanout_10000_all_arrived_ms": "<= 2000", "claim_large_tables_ratio": "<= 2",
    "claim_10000_webhooks_ratio": "<= 2", "service_peak_rss_mib": "<= 300",
    "keyed_ratio": ">= 0.5", "keyed_duplicates": "0", "fanout_filters_ratio": "<= 1.5",
    "outbound_10_duplicates": "0", "outbound_1_duplicates": "0",
    "vs_peer_outbound_1": ">= 1.0", "vs_peer_outbound_10": ">= 1.0",
    "vs_peer_latency_200_p50": "<= 1.0", "vs_peer_latency_200_p99": "<= 1.0",
}
rows = ["| figure | value | target |", "|---|---|---|"]
for line in open(figures):
    key, value = line.strip().split("=", 1)
    rows.append(f"| `{key}` | {value} | {targets.get(key, '')} |")
table = "\n".join(rows)
machine = (f"{datetime.date.today()}, {cores} cores, {memory} GiB, durable Postgres {version} "
           "(fsync and synchronous_commit on); the service, wrk and Node share the machine. Ratios divide by "
           "`baseline_pg_inserts_per_s` (pgbench, 8 clients, one 1 KB jsonb row per transaction, same run).")
history = open("docs/benchmarks.history.md").read()
with open("docs/benchmarks.md", "w") as f:
    f.write(f"# Benchmarks\n\nProduced by `bench/run.sh` on {machine}\n\n{table}\n\n{history}")
readme = open("README.md").read()
block = f"<!-- bench:start -->\n{machine}\n\n{table}\n<!-- bench:end -->"
readme = re.sub(r"<!-- bench:start -->.*?<!-- bench:end -->", lambda _: block, readme, flags=re.S)
open("README.md", "w").write(readme)
PY
say "wrote docs/benchmarks.md and the README's table"
