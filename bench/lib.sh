# Shared by the bench scripts: a throwaway Postgres and the service (Release) on free loopback ports.
# Sourced after scripts/lib/common.sh. Sets: work, pg_port, url, service_pid, api.

bench_start() {
  require_dotnet
  need_command wrk wrk
  need_command curl curl
  need_command python3 python3
  need_command openssl openssl
  need_command psql postgresql-client

  work=$(mktemp -d /tmp/causeloop-bench.XXXXXX)
  chmod 755 "$work"
  trap bench_stop EXIT

  pg_port=$(free_port)
  # Durable by default (fsync and synchronous_commit on), as a user runs it; BENCH_PG_MODE=fast to compare.
  start_cluster "$work/pg" "$pg_port" "${BENCH_PG_MODE:-}"
  dotnet build src/Api/Causeloop.Api.csproj -c Release -nologo -v q > "$work/build.log" 2>&1 \
    || { cat "$work/build.log" >&2; say "the build failed"; exit 1; }

  export ConnectionStrings__Causeloop="Host=127.0.0.1;Port=$pg_port;Username=postgres;Database=postgres"
  export Causeloop__Secrets__Key=$(openssl rand -base64 32)
  export Causeloop__Inbound__RateLimitPerSecond=100000000
  export Causeloop__Outbound__AllowPrivateNetworks=true
  export ASPNETCORE_ENVIRONMENT=Production
  export Logging__LogLevel__Default=Warning
  api=(dotnet src/Api/bin/Release/net10.0/Causeloop.Api.dll)
  url="http://127.0.0.1:$(free_port)"
  "${api[@]}" migrate
  "${api[@]}" --urls "$url" > "$work/service.log" 2>&1 &
  service_pid=$!
  for _ in $(seq 1 60); do curl -fsS "$url/health/ready" >/dev/null 2>&1 && return 0; sleep 0.5; done
  cat "$work/service.log" >&2
  say "the service did not become ready"; exit 1
}

bench_stop() {
  [ -n "${service_pid:-}" ] && kill "$service_pid" 2>/dev/null && wait "$service_pid" 2>/dev/null || true
  [ -n "${receiver_pid:-}" ] && kill "$receiver_pid" 2>/dev/null || true
  stop_cluster "$work/pg"
  rm -rf "$work"
}

bench_sql() { psql -h 127.0.0.1 -p "$pg_port" -U postgres -d postgres -tAc "$1"; }

json_field() { python3 -c "import json,sys; print(json.load(sys.stdin)['$1'])"; }

peak_mib() { echo $(( $(awk '/VmHWM/ {print $2}' "/proc/$service_pid/status") / 1024 )); }
