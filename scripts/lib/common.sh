# Shared by scripts/run and scripts/test. Sourced, not executed.
# Installs what is missing (Debian packages) and manages local PostgreSQL clusters.

say() { printf 'causeloop: %s\n' "$*" >&2; }

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; elif command -v sudo >/dev/null 2>&1; then sudo "$@"; else
    say "need root to run: $*"; return 1; fi
}

_apt_updated=""
apt_install() {
  if [ -z "$_apt_updated" ]; then
    say "installing $* with apt-get"
    as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq >/dev/null
    _apt_updated=1
  fi
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@" >/dev/null
}

# need_command COMMAND DEBIAN_PACKAGE: install the package when the command is missing.
need_command() {
  command -v "$1" >/dev/null 2>&1 || apt_install "$2"
}

# need_sbin PROGRAM DEBIAN_PACKAGE: as need_command, for a program Debian installs in /usr/sbin (off a user's PATH).
need_sbin() {
  [ -x "/usr/sbin/$1" ] || command -v "$1" >/dev/null 2>&1 || apt_install "$2"
}

require_dotnet() {
  if ! command -v dotnet >/dev/null 2>&1; then
    say "the .NET SDK (10.0) is required and not on PATH. Install it from https://dot.net and try again."
    exit 1
  fi
}

# The newest installed PostgreSQL server binaries; installs Debian's postgresql when there are none.
pg_bin() {
  local dir
  dir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
  if [ -z "$dir" ] || [ ! -x "$dir/initdb" ]; then
    apt_install postgresql postgresql-contrib
    dir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
  fi
  [ -x "$dir/initdb" ] || { say "could not find or install PostgreSQL"; exit 1; }
  printf '%s\n' "$dir"
}

# Runs a PostgreSQL binary as the postgres user when we are root (initdb and pg_ctl refuse root).
pg_as() {
  if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

# cluster_home REPO_ROOT: where scripts/run keeps its PostgreSQL cluster. REPO_ROOT/.data/postgres when the
# server's user can reach it; as root in a folder the postgres user cannot enter (anything under root's
# home, mode 0700), /var/lib/causeloop/<hash of REPO_ROOT>/postgres instead.
cluster_home() {
  local root=$1
  if [ "$(id -u)" -ne 0 ] || runuser -u postgres -- test -x "$root/.data" 2>/dev/null; then
    printf '%s\n' "$root/.data/postgres"
  else
    printf '/var/lib/causeloop/%s/postgres\n' "$(printf '%s' "$root" | sha256sum | cut -c1-12)"
  fi
}

free_port() {
  local port
  for _ in $(seq 1 50); do
    port=$(( (RANDOM % 20000) + 20000 ))
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then printf '%s\n' "$port"; return 0; fi
  done
  say "no free port found"; return 1
}

# start_cluster DATA_DIR PORT [fast]: initialises DATA_DIR when empty and starts a server on 127.0.0.1:PORT.
# "fast" turns durability off (throwaway test clusters only).
start_cluster() {
  local data=$1 port=$2 mode=${3:-} bin
  bin=$(pg_bin)
  mkdir -p "$data"
  if [ "$(id -u)" -eq 0 ]; then chown postgres:postgres "$data"; chmod 700 "$data"; fi
  if [ "$(id -u)" -eq 0 ] && ! runuser -u postgres -- test -w "$data" 2>/dev/null; then
    say "the postgres user cannot write to $data (a parent folder is closed to it); choose a data folder it can reach"
    return 1
  fi
  if [ ! -f "$data/PG_VERSION" ]; then
    local out
    out=$(cd / && pg_as "$bin/initdb" -D "$data" -U postgres -A trust -E UTF8 --locale=C.UTF-8 2>&1) \
      || { say "initdb could not create a cluster in $data:"; printf '%s\n' "$out" >&2; return 1; }
  fi
  local opts="-c listen_addresses=127.0.0.1 -p $port -k $data -c max_connections=300"
  if [ "$mode" = fast ]; then opts="$opts -c fsync=off -c synchronous_commit=off -c full_page_writes=off"; fi
  (cd / && pg_as "$bin/pg_ctl" -D "$data" -l "$data/server.log" -o "$opts" -w -t 60 start >/dev/null) \
    || { say "PostgreSQL did not start; see $data/server.log"; tail -n 20 "$data/server.log" >&2; return 1; }
}

stop_cluster() {
  local data=$1 bin
  bin=$(pg_bin)
  [ -f "$data/postmaster.pid" ] && (cd / && pg_as "$bin/pg_ctl" -D "$data" -m fast -w stop >/dev/null 2>&1) || true
}
