#!/usr/bin/env bash
# Outbound delivery throughput, measured against a baseline taken in the same run: how fast the same
# receiver takes POSTs straight from wrk (its capacity), versus events published to Causeloop
# (POST /v1/events) and delivered to it signed, through the outbox and the worker.
# Prints publish rate, end-to-end delivery rate and latency, the ratio, and peak memory. Loopback only.
#
#   bench/delivery.sh [seconds of publishing, default 10] [connections, default 16]
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
. scripts/lib/common.sh

duration=${1:-10}
connections=${2:-16}
. bench/lib.sh
bench_start
need_command node nodejs

receiver_port=$(free_port)
node -e '
  require("node:http").createServer((req, res) => { req.resume(); req.on("end", () => res.writeHead(204).end()); })
    .listen(Number(process.argv[1]), "127.0.0.1");
' "$receiver_port" &
receiver_pid=$!
receiver="http://127.0.0.1:$receiver_port/webhooks"
sleep 0.5

key=$("${api[@]}" api-keys create --workspace bench --scopes webhooks:admin,events:write)
curl -fsS -H "Authorization: Bearer $key" -H 'content-type: application/json' \
  -d "{\"url\":\"$receiver\",\"event_types\":[\"*\"]}" "$url/v1/webhooks" >/dev/null

export BENCH_KEY="$key"
export BENCH_EVENT='{"type":"pattern.detected","data":{"pattern":"checkout 500s","issues":["CL-1042","CL-1043"],"confidence":0.93}}'
cat > "$work/receiver.lua" <<'LUA'
wrk.method = "POST"
wrk.body = os.getenv("BENCH_EVENT")
wrk.headers["content-type"] = "application/json"
LUA
cat > "$work/publish.lua" <<'LUA'
wrk.method = "POST"
wrk.body = os.getenv("BENCH_EVENT")
wrk.headers["content-type"] = "application/json"
wrk.headers["authorization"] = "Bearer " .. os.getenv("BENCH_KEY")
LUA

wrk -t2 -c"$connections" -d3s -s "$work/receiver.lua" "$receiver" >/dev/null
wrk -t2 -c"$connections" -d"${duration}s" -s "$work/receiver.lua" "$receiver" > "$work/baseline.txt"
wrk -t2 -c"$connections" -d"${duration}s" --latency -s "$work/publish.lua" "$url/v1/events" > "$work/publish.txt"

events=$(bench_sql "select count(*) from events")
for _ in $(seq 1 240); do
  done_count=$(bench_sql "select count(*) from deliveries where status = 'succeeded'")
  [ "$done_count" -ge "$events" ] && break
  sleep 0.5
done

read -r delivered seconds p50 p99lat <<<"$(bench_sql "
  select count(*), extract(epoch from max(d.updated_at) - min(e.created_at)),
         percentile_cont(0.5) within group (order by extract(epoch from d.updated_at - e.created_at)),
         percentile_cont(0.99) within group (order by extract(epoch from d.updated_at - e.created_at))
  from deliveries d join events e on e.id = d.event_id where d.status = 'succeeded'" | tr '|' ' ')"
rate=$(python3 -c "print(f'{$delivered / $seconds:.0f}')")

printf '\n%-46s %12s\n' "run ($connections connections, ${duration}s)" "per second"
printf '%-46s %12s\n' "baseline: receiver takes POSTs from wrk" "$(rps "$work/baseline.txt")"
printf '%-46s %12s   (p99 %s)\n' "events published (POST /v1/events, committed)" "$(rps "$work/publish.txt")" "$(p99 "$work/publish.txt")"
printf '%-46s %12s\n' "events delivered end to end, signed" "$rate"
echo "delivered: $delivered of $events events; publish-to-delivered latency p50 $(python3 -c "print(f'{$p50*1000:.0f} ms')"), p99 $(python3 -c "print(f'{$p99lat*1000:.0f} ms')")"
python3 -c "print(f'delivery / receiver capacity ratio: {$rate / float(\"$(rps "$work/baseline.txt")\"):.3f}')"
echo "service peak resident memory: $(peak_mib) MiB"
