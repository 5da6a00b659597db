#!/usr/bin/env bash
# A project-local PostgreSQL 15 cluster for tests, under <repo>/.data/pg.
#
#   bash scripts/pg-local.sh start    # init on first use, start (idempotent), print the URL
#   bash scripts/pg-local.sh stop     # pg_ctl stop -m fast (no-op when stopped)
#   bash scripts/pg-local.sh status   # exit 0 when running, 3 when not
#   bash scripts/pg-local.sh url      # print the URL of the running cluster (exit 1 when stopped)
#   bash scripts/pg-local.sh destroy  # stop and delete .data/pg
#
#   DATABASE_URL=$(bash scripts/pg-local.sh url)
#
# Layout of .data/pg: data/ (the cluster), run/ (unix socket), log (server log),
# port (the port, reused on the next start while it is free), url.
# Listens on 127.0.0.1 only, on a free port; auth is `trust` for the unix socket
# and 127.0.0.1 (a loopback-only test cluster). The superuser is `postgres`:
#   postgres://postgres@127.0.0.1:<port>/postgres
# Tuned for tests (fsync/synchronous_commit/full_page_writes off, jit off, UTC,
# max_connections=300, shared_buffers=128MB): data does not survive a crash.
# As root, the server runs as the `postgres` system user (or a `kt-postgres`
# system user created on demand); otherwise as the invoking user.
#
# Environment: KT_PG_DIR (default <repo>/.data/pg), KT_PG_BINDIR (PostgreSQL bin dir),
# KT_PG_USER (when run as root: the OS user that owns and runs the cluster).
# Needs PostgreSQL 15 + pgvector: bash scripts/install-test-deps.sh
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)
BASE=${KT_PG_DIR:-$ROOT/.data/pg}
DATA=$BASE/data
LOGF=$BASE/log
PORTF=$BASE/port
URLF=$BASE/url
PG_MAJOR=15

die() { echo "pg-local: $*" >&2; exit 1; }

# ---------------------------------------------------------------- binaries
find_bindir() {
  local d
  for d in "${KT_PG_BINDIR:-}" "/usr/lib/postgresql/$PG_MAJOR/bin" \
           "$(pg_config --bindir 2>/dev/null || true)"; do
    [ -n "$d" ] && [ -x "$d/initdb" ] && [ -x "$d/pg_ctl" ] && { echo "$d"; return; }
  done
  die "PostgreSQL $PG_MAJOR server binaries not found (run: bash scripts/install-test-deps.sh)"
}

# ---------------------------------------------------------------- who runs postgres
if [ "$(id -u)" -eq 0 ]; then
  if [ -n "${KT_PG_USER:-}" ]; then
    PG_USER=$KT_PG_USER
  elif id postgres >/dev/null 2>&1 && [ "$(id -u postgres)" -ne 0 ]; then
    PG_USER=postgres
  else
    PG_USER=kt-postgres
  fi
else
  PG_USER=$(id -un)
fi
# An existing cluster keeps its owner.
if [ -d "$DATA" ]; then
  owner=$(stat -c %U "$DATA")
  if [ "$(id -u)" -eq 0 ]; then
    PG_USER=$owner
  elif [ "$owner" != "$PG_USER" ]; then
    die "$DATA belongs to $owner; run this as $owner or root (or use another KT_PG_DIR)"
  fi
fi

ensure_pg_user() {
  [ "$(id -u)" -eq 0 ] || return 0
  id "$PG_USER" >/dev/null 2>&1 && return 0
  if command -v useradd >/dev/null 2>&1; then
    useradd --system --user-group --no-create-home --home-dir /nonexistent \
      --shell /usr/sbin/nologin "$PG_USER"
  else
    adduser --system --group --no-create-home --home /nonexistent "$PG_USER"
  fi
}

# Run a command as the cluster owner, from a directory it can read.
as_pg() {
  if [ "$(id -u)" -eq 0 ]; then
    if command -v runuser >/dev/null 2>&1; then
      (cd "$BASE" && runuser -u "$PG_USER" -- "$@")
    else
      (cd "$BASE" && su -s /bin/sh "$PG_USER" -c "$(printf '%q ' "$@")")
    fi
  else
    (cd "$BASE" && "$@")
  fi
}

# Unix socket dir: inside .data/pg unless the path would exceed the ~107-byte socket limit.
sock_dir() {
  local d=$BASE/run
  if [ $((${#d} + 17)) -gt 100 ]; then
    d=/tmp/kt-pg-$(printf '%s' "$BASE" | md5sum | cut -c1-12)
  fi
  echo "$d"
}

url_for() { echo "postgres://postgres@127.0.0.1:$1/postgres"; }

# Port of the running cluster, or nothing (exit 1) when it is not running.
running_port() {
  [ -f "$DATA/PG_VERSION" ] || return 1
  as_pg "$BINDIR/pg_ctl" status -D "$DATA" >/dev/null 2>&1 || return 1
  sed -n 4p "$DATA/postmaster.pid"
}

# 0 when 127.0.0.1:$1 can be bound (nothing listens there).
port_free() {
  local p=$1
  if command -v node >/dev/null 2>&1; then
    node -e '
      const s = require("net").createServer();
      s.once("error", () => process.exit(1));
      s.listen({ port: +process.argv[1], host: "127.0.0.1", exclusive: true }, () => s.close(() => process.exit(0)));
    ' "$p" 2>/dev/null
  else
    ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null
  fi
}

# Remembered port when still free, else a random free one in 20000-31999
# (below Linux's default ephemeral range 32768-60999).
pick_port() {
  local p i
  if [ "${1:-}" != new ] && [ -f "$PORTF" ]; then
    p=$(tr -dc 0-9 <"$PORTF")
    if [ -n "$p" ] && port_free "$p"; then echo "$p"; return; fi
  fi
  for i in $(seq 1 100); do
    p=$((20000 + (RANDOM * 32768 + RANDOM) % 12000))
    port_free "$p" && { echo "$p"; return; }
  done
  die "no free TCP port found on 127.0.0.1"
}

write_conf() { # port sockdir
  as_pg tee "$DATA/kt-test.conf" >/dev/null <<EOF
# Written by scripts/pg-local.sh on every start; edit the script, not this file.
listen_addresses = '127.0.0.1'
port = $1
unix_socket_directories = '$2'
max_connections = 300
shared_buffers = 128MB
fsync = off
synchronous_commit = off
full_page_writes = off
jit = off
timezone = 'UTC'
log_timezone = 'UTC'
logging_collector = off
# Loaded, but off: a benchmark turns it on for its own database only
# (benchmarks/chat-sse/profileQuestion.ts counts statements per question).
shared_preload_libraries = 'pg_stat_statements'
pg_stat_statements.track = none
EOF
}

init_cluster() {
  if [ -d "$DATA" ] && [ -n "$(ls -A "$DATA" 2>/dev/null)" ]; then
    die "$DATA exists but is not a PostgreSQL cluster; remove it (bash scripts/pg-local.sh destroy)"
  fi
  local locale=(--no-locale)
  if locale -a 2>/dev/null | grep -qiE '^c\.utf-?8$' || [ -d /usr/lib/locale/C.utf8 ]; then
    locale=(--locale=C.UTF-8)
  fi
  echo "pg-local: initdb $DATA (owner $PG_USER)" >&2
  as_pg "$BINDIR/initdb" -D "$DATA" -U postgres -A trust -E UTF8 "${locale[@]}" --no-sync >>"$LOGF" 2>&1 \
    || { tail -n 20 "$LOGF" >&2; die "initdb failed (log: $LOGF)"; }
  as_pg tee "$DATA/pg_hba.conf" >/dev/null <<'EOF'
# Written by scripts/pg-local.sh: a loopback-only test cluster.
# TYPE  DATABASE  USER  ADDRESS        METHOD
local   all       all                  trust
host    all       all   127.0.0.1/32   trust
local   replication all                trust
host    replication all 127.0.0.1/32   trust
EOF
  echo "include_if_exists = 'kt-test.conf'" | as_pg tee -a "$DATA/postgresql.conf" >/dev/null
}

prepare_dirs() {
  ensure_pg_user
  mkdir -p "$BASE"
  if [ "$(id -u)" -eq 0 ]; then
    chown "$PG_USER:" "$BASE"
    touch "$LOGF" && chown "$PG_USER:" "$LOGF"
    as_pg test -w "$BASE" || die "user $PG_USER cannot use $BASE (is a parent directory not world-searchable?); set KT_PG_DIR to another path"
  fi
}

check_vector() {
  local url=$1 v
  v=$("$BINDIR/psql" "$url" -X -q -t -A -v ON_ERROR_STOP=1 2>&1 <<'EOF'
SET client_min_messages = warning;
BEGIN;
CREATE EXTENSION IF NOT EXISTS vector;
SELECT extversion FROM pg_extension WHERE extname = 'vector';
ROLLBACK;
EOF
  ) || die "pgvector is not usable in $url: $v (run: bash scripts/install-test-deps.sh)"
  echo "$v"
}

cmd_start() {
  prepare_dirs
  exec 9>>"$BASE/.lock"
  flock -w 120 9 || die "timed out waiting for $BASE/.lock"

  local port sock url attempt vv
  if port=$(running_port); then
    url=$(url_for "$port")
    echo "$url" >"$URLF"
    echo "$url"
    return 0
  fi
  [ -f "$DATA/PG_VERSION" ] || init_cluster
  sock=$(sock_dir)
  as_pg mkdir -p -m 700 "$sock"

  port=$(pick_port)
  for attempt in 1 2 3; do
    echo "$port" >"$PORTF"
    write_conf "$port" "$sock"
    # 9>&-: the server must not inherit (and hold) the lock.
    if as_pg "$BINDIR/pg_ctl" start -D "$DATA" -l "$LOGF" -w -t 60 -s >/dev/null 2>&1 9>&-; then
      break
    fi
    # Lost a race for the port: try another one.
    if [ "$attempt" -lt 3 ] && tail -n 20 "$LOGF" | grep -q 'could not bind\|Address already in use'; then
      port=$(pick_port new)
      continue
    fi
    tail -n 20 "$LOGF" >&2
    die "postgres failed to start (log: $LOGF)"
  done

  url=$(url_for "$port")
  vv=$(check_vector "$url")
  echo "$url" >"$URLF"
  echo "pg-local: started, PostgreSQL $("$BINDIR/postgres" --version | awk '{print $3}'), pgvector $vv, data $DATA" >&2
  echo "$url"
}

cmd_stop() {
  [ -d "$BASE" ] || { echo "pg-local: not running"; return 0; }
  if running_port >/dev/null; then
    as_pg "$BINDIR/pg_ctl" stop -D "$DATA" -m fast -w -t 60 -s
    echo "pg-local: stopped"
  else
    echo "pg-local: not running"
  fi
}

cmd_status() {
  local port
  if port=$(running_port); then
    echo "running: pid $(head -n1 "$DATA/postmaster.pid"), $(url_for "$port")"
  elif [ -f "$DATA/PG_VERSION" ]; then
    echo "stopped (data: $DATA)"; return 3
  else
    echo "not initialized (bash scripts/pg-local.sh start)"; return 3
  fi
}

cmd_url() {
  local port
  port=$(running_port) || die "not running (bash scripts/pg-local.sh start)"
  url_for "$port"
}

cmd_destroy() {
  cmd_stop
  local sock
  sock=$(sock_dir)
  [ "$sock" = "$BASE/run" ] || rm -rf "$sock"
  rm -rf "$BASE"
  echo "pg-local: removed $BASE"
}

BINDIR=$(find_bindir)
case "${1:-}" in
  start) cmd_start ;;
  stop) cmd_stop ;;
  status) cmd_status ;;
  url) cmd_url ;;
  destroy) cmd_destroy ;;
  *) echo "usage: $0 start|stop|status|url|destroy" >&2; exit 2 ;;
esac
