#!/usr/bin/env bash
# The time-partitioning trial of docs/scaling.md, at 10 M deliveries in a throwaway durable Postgres (fsync and
# synchronous_commit on): the worker's claim (median of 200 calls of its own ClaimStore, as bench/run.sh measures it)
# and retention of one day's finished rows, with `deliveries` as it is today and range-partitioned by day on its UUIDv7
# id; and the migration path from one to the other (the existing table attached as the first partition). Prints one
# key=value line per figure. About 15 minutes on 2 cores; nothing but the database and the claim bench runs.
# Last, the claim on a queue that holds only unfinished deliveries (the finished ones moved to a partitioned history).
#   PHASES="hot" bench/partitions.sh    (some phases only: plain (with the migration path) daily hot)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
. scripts/lib/common.sh
require_dotnet
need_command psql postgresql-client

work=$(mktemp -d /tmp/causeloop-partitions.XXXXXX)
chmod 755 "$work"
pg_port=$(free_port)
trap 'stop_cluster "$work/pg"; rm -rf "$work"' EXIT
start_cluster "$work/pg" "$pg_port"
export ConnectionStrings__Causeloop="Host=127.0.0.1;Port=$pg_port;Username=postgres;Database=postgres"
export Causeloop__Secrets__Key=$(openssl rand -base64 32) ASPNETCORE_ENVIRONMENT=Production
dotnet build src/Api/Causeloop.Api.csproj -c Release -nologo -v q > "$work/build.log" 2>&1 || { cat "$work/build.log" >&2; exit 1; }
dotnet build bench/Causeloop.Bench -c Release -nologo -v q > "$work/bench-build.log" 2>&1 || { cat "$work/bench-build.log" >&2; exit 1; }
dotnet src/Api/bin/Release/net10.0/Causeloop.Api.dll migrate

want() { [ -z "${PHASES:-}" ] || [[ " $PHASES " == *" $1 "* ]]; }
sql() { psql -h 127.0.0.1 -p "$pg_port" -U postgres -d postgres -v ON_ERROR_STOP=1 -tAq -c "$1"; }
fig() { printf '%s=%s\n' "$1" "$2"; }
claim_ms() { dotnet bench/Causeloop.Bench/bin/Release/net10.0/Causeloop.Bench.dll claim "$ConnectionStrings__Causeloop"; }
# seconds taken by one statement (or procedure call)
timed() { local t0; t0=$(date +%s.%N); sql "$1" >/dev/null; python3 -c "print(f'{$(date +%s.%N) - $t0:.1f}')"; }
wal_mib() { sql "select round(pg_wal_lsn_diff(pg_current_wal_lsn(), '$1') / 1048576.0, 1)"; }

# 10,000 idle webhooks; one event; per day of the last 10, 1,000,000 succeeded deliveries (over 1,000 webhooks); and
# 100,000 failed ones waiting for a retry tomorrow (over 100 webhooks): what the claim must look past.
sql "
  insert into workspaces (id, name, created_at) values (gen_random_uuid(), 'bench', now());
  insert into webhooks (id, workspace_id, direction, url, event_types, enabled, secret, created_at, updated_at)
    select gen_random_uuid(), (select id from workspaces), 'outbound', 'http://127.0.0.1:9/idle', array['bench.idle'], true, '\\x00', now(), now()
    from generate_series(1, 10000);
  insert into events (id, workspace_id, type, body, created_at) select gen_random_uuid(), id, 'bench.idle', '{}'::bytea, now() from workspaces;
  create table deliveries_shape (like deliveries including all);
  create table hooks as select id, workspace_id, row_number() over (order by id) as n from webhooks;
  create index on hooks (n);
  -- The lowest UUIDv7 of a moment: its unix milliseconds, then zeros (partition bounds).
  create function uuid_floor(ts timestamptz) returns uuid language sql immutable as \$\$
    select encode(substring(int8send(floor(extract(epoch from ts) * 1000)::bigint) from 3) || '\\x00000000000000000000'::bytea, 'hex')::uuid \$\$;
  create procedure fill(day int) language plpgsql as \$\$
  begin
    insert into deliveries (id, workspace_id, webhook_id, event_id, status, attempt_count, next_attempt_at, created_at, updated_at)
    select uuidv7(t.at), h.workspace_id, h.id, (select id from events), 'succeeded', 1, null, t.at, t.at
    from generate_series(1, 1000000) g
    cross join lateral (select date_trunc('day', now()) - make_interval(days => day) + g * interval '86 ms' as at) t
    join hooks h on h.n = 1 + g % 1000;
  end \$\$;
  create procedure fill_due() language plpgsql as \$\$
  begin
    insert into deliveries (id, workspace_id, webhook_id, event_id, status, attempt_count, next_attempt_at, created_at, updated_at)
    select uuidv7(now()), h.workspace_id, h.id, (select id from events), 'failed', 1, now() + interval '1 day', now(), now()
    from generate_series(1, 100000) g join hooks h on h.n = 1 + g % 100;
  end \$\$;
  -- Retention as RetentionJob does it: batches of 1,000 finished deliveries older than the cut-off, each committed.
  create procedure retain(cutoff timestamptz) language plpgsql as \$\$
  declare n int;
  begin
    loop
      delete from deliveries d using (
        select d.id from deliveries d
        where d.status = any('{succeeded,dead,cancelled}') and d.updated_at < cutoff
          and not exists (select 1 from delivery_attempts a where a.delivery_id = d.id)
        limit 1000 for update skip locked) old
      where d.id = old.id;
      get diagnostics n = row_count;
      commit;
      exit when n = 0;
    end loop;
  end \$\$;"

# --- Today's table -----------------------------------------------------------------------------------------------
if want plain; then
t0=$(date +%s)
for day in $(seq 10 -1 1); do sql "call fill($day)"; done
sql "call fill_due()"
sql "analyze deliveries"
fig plain_fill_s "$(( $(date +%s) - t0 ))"
fig plain_rows "$(sql 'select count(*) from deliveries')"
fig plain_table_mib "$(sql "select pg_total_relation_size('deliveries') / 1048576")"
fig plain_claim_ms "$(claim_ms)"
lsn=$(sql "select pg_current_wal_lsn()")
fig plain_retention_one_day_s "$(timed "call retain(date_trunc('day', now()) - interval '9 days')")"
fig plain_retention_one_day_wal_mib "$(wal_mib "$lsn")"
fig plain_vacuum_after_s "$(timed "vacuum deliveries")"
fig plain_claim_after_retention_ms "$(claim_ms)"

# --- The migration path: today's table becomes the first partition of a table partitioned by day on id -------------
# The bound is the first id of tomorrow; new partitions follow it. A check constraint added NOT VALID and validated
# (a scan that blocks neither reads nor writes) lets ATTACH PARTITION skip its own scan.
sql "create table deliveries_new (like deliveries including all) partition by range (id)"
bound=$(sql "select uuid_floor(date_trunc('day', now()) + interval '1 day')")
sql "alter table deliveries add constraint deliveries_legacy_range check (id < '$bound') not valid"
fig migration_validate_check_s "$(timed "alter table deliveries validate constraint deliveries_legacy_range")"
fig migration_attach_and_swap_s "$(timed "
  begin;
  alter table delivery_attempts drop constraint delivery_attempts_delivery_id_fkey;
  alter table deliveries rename to deliveries_legacy;
  alter table deliveries_new rename to deliveries;
  alter table deliveries attach partition deliveries_legacy for values from (minvalue) to ('$bound');
  create table deliveries_d1 partition of deliveries for values from ('$bound') to (uuid_floor(date_trunc('day', now()) + interval '2 days'));
  alter table delivery_attempts add constraint delivery_attempts_delivery_id_fkey foreign key (delivery_id) references deliveries (id) not valid;
  commit;")"
fig migrated_claim_ms "$(claim_ms)"
fi

# --- Partitioned by day from the start --------------------------------------------------------------------------------
if want daily; then
sql "drop table deliveries cascade"
sql "create table deliveries (like deliveries_shape including all) partition by range (id)"
sql "do \$\$ begin for d in -11..1 loop
       execute format('create table deliveries_%s partition of deliveries for values from (%L) to (%L)', d + 11,
         uuid_floor(date_trunc('day', now()) + make_interval(days => d)), uuid_floor(date_trunc('day', now()) + make_interval(days => d + 1)));
     end loop; end \$\$"
t0=$(date +%s)
for day in $(seq 10 -1 1); do sql "call fill($day)"; done
sql "call fill_due()"
sql "analyze deliveries"
fig daily_fill_s "$(( $(date +%s) - t0 ))"
fig daily_rows "$(sql 'select count(*) from deliveries')"
fig daily_partitions "$(sql "select count(*) from pg_inherits where inhparent = 'deliveries'::regclass")"
fig daily_claim_ms "$(claim_ms)"
oldest=$(sql "select c.relname from pg_inherits i join pg_class c on c.oid = i.inhrelid where i.inhparent = 'deliveries'::regclass
              and exists (select 1 from pg_class x where x.oid = i.inhrelid) order by pg_get_expr(c.relpartbound, c.oid) limit 1 offset 1")
fig daily_dropped_partition_rows "$(sql "select count(*) from $oldest")"
lsn=$(sql "select pg_current_wal_lsn()")
fig daily_retention_one_day_s "$(timed "alter table deliveries detach partition $oldest concurrently")"
fig daily_retention_drop_s "$(timed "drop table $oldest")"
fig daily_retention_one_day_wal_mib "$(wal_mib "$lsn")"
fig daily_claim_after_retention_ms "$(claim_ms)"
fi

# --- The queue apart: only unfinished deliveries in `deliveries` (finished ones would live in a partitioned history) ---
if want hot; then
sql "drop table deliveries cascade"
sql "create table deliveries (like deliveries_shape including all)"
sql "call fill_due()"
sql "analyze deliveries"
fig hot_rows "$(sql 'select count(*) from deliveries')"
fig hot_claim_ms "$(claim_ms)"
fi
