#!/usr/bin/env bash
# Install everything the test suite needs on Debian 12 (bookworm) / Ubuntu.
#
#   bash scripts/install-test-deps.sh
#
# Components (each is skipped when already present; a second run does nothing
# and takes well under a second):
#   - PostgreSQL 15 server + client (apt: postgresql-15)
#   - postgresql-server-dev-15 (apt; pinned to the installed server's version so
#     an installed server is never upgraded/restarted as a side effect)
#   - pgvector >= 0.8 for PG 15: apt `postgresql-15-pgvector` when a repo offers
#     >= 0.8 (Ubuntu/PGDG), otherwise built from Debian trixie's SOURCE package,
#     fetched with a private, throw-away apt configuration (system apt config,
#     lists and caches are never touched)
#   - chromium (Debian package, /usr/bin/chromium, used by Playwright)
#   - nginx (the binary; tests run their own nginx on a private config/port)
#   - pgbouncer (the binary; server/platform/pgbouncer.test.ts runs its own on a free port)
#   - ffmpeg + ffprobe (audio/video uploads are probed and split before transcription)
#   - ansible + ansible-lint (the deploy code's syntax check and lint)
#   - prometheus + promtool (alert rules are unit-tested with `promtool test rules`;
#     dashboards' queries run against a real Prometheus scraping the api and a worker)
#   - with KT_WITH_DEPLOY_TEST=1: also systemd-nspawn, mmdebstrap, apt-cacher-ng,
#     pebble, zstd, curl, openssl, debian-archive-keyring, iproute2, openssh-client; with
#     KT_DEPLOY_TEST_ONLY=1 (make test-deploy) only those and ansible
#
# apt-get update runs only when something must be installed. Services are never
# started by the install (a temporary /usr/sbin/policy-rc.d denies it when none
# exists), so no system PostgreSQL/nginx is started and apt postinst scripts
# work without systemd (CI containers). On a machine without any PostgreSQL
# server, /etc/postgresql-common/createcluster.conf gets
# `create_main_cluster = false` before postgresql-15 is installed, so no system
# cluster is created. We never touch a system cluster; we use scripts/pg-local.sh.
#
# Runs as root, or as a user with sudo (only the installing steps use sudo).
# Environment knobs:
#   KT_DEBIAN_MIRROR=http://...  mirror for the trixie deb-src (default: the
#                                Debian mirror from the system apt sources, else
#                                http://deb.debian.org/debian)
#   KT_PGVECTOR_SUITE=trixie     Debian suite to take the pgvector source from
#   KT_SKIP_CHROMIUM=1 / KT_SKIP_NGINX=1   skip those components
#   KT_VERBOSE=1                 stream apt/make output (default: to the log file)
#   KT_INSTALL_LOG=path          log file (default /tmp/kt-install-test-deps-<uid>.log)
set -euo pipefail

PG_MAJOR=15
PGVECTOR_MIN=0.8
PG_BIN=/usr/lib/postgresql/$PG_MAJOR/bin
PG_CONFIG=$PG_BIN/pg_config
PG_SHARE=/usr/share/postgresql/$PG_MAJOR
PG_LIB=/usr/lib/postgresql/$PG_MAJOR/lib
PGVECTOR_SUITE=${KT_PGVECTOR_SUITE:-trixie}
LOG=${KT_INSTALL_LOG:-/tmp/kt-install-test-deps-$(id -u).log}
T0=$SECONDS

say() { printf '%-26s %s\n' "$1:" "$2"; }
die() { echo "install-test-deps: ERROR: $*" >&2; exit 1; }

# ---------------------------------------------------------------- plumbing
CLEANUP=()
cleanup() {
  local i
  for ((i = ${#CLEANUP[@]} - 1; i >= 0; i--)); do eval "${CLEANUP[$i]}" || true; done
}
trap cleanup EXIT

SUDO=()
as_root() {
  if [ "$(id -u)" -ne 0 ] && [ ${#SUDO[@]} -eq 0 ]; then
    command -v sudo >/dev/null 2>&1 || die "need root (or sudo) to install packages"
    SUDO=(sudo)
  fi
  "${SUDO[@]}" "$@"
}

# Run a noisy command; its output goes to $LOG (or the terminal with KT_VERBOSE=1).
# On failure show the end of the log.
LOG_READY=0
log_init() {
  [ "$LOG_READY" = 1 ] && return 0
  { : >"$LOG"; } 2>/dev/null || LOG=$(mktemp /tmp/kt-install-test-deps.XXXXXX.log)
  LOG_READY=1
}
run() {
  log_init
  if [ "${KT_VERBOSE:-}" = 1 ]; then "$@"; return; fi
  if ! "$@" >>"$LOG" 2>&1; then
    echo "install-test-deps: command failed: $*" >&2
    echo "---- last lines of $LOG ----" >&2
    tail -n 40 "$LOG" >&2
    exit 1
  fi
}

pkg_installed() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q 'install ok installed'; }
pkg_version() { dpkg-query -W -f='${Version}' "$1" 2>/dev/null; }
apt_candidate() { apt-cache policy "$1" 2>/dev/null | awk '/Candidate:/ {print $2; exit}'; }
apt_has_version() { apt-cache madison "$1" 2>/dev/null | awk -F'|' '{gsub(/ /,"",$2); print $2}' | grep -qxF "$2"; }

APT_UPDATED=0
apt_update() {
  [ "$APT_UPDATED" = 1 ] && return 0
  local t=$SECONDS
  run as_root env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 update -q
  APT_UPDATED=1
  say "apt-get update" "done ($((SECONDS - t))s)"
}

# Deny service starts during our installs unless the admin already has a policy.
POLICY_RC=/usr/sbin/policy-rc.d
NO_SERVICES=0
no_service_starts() {
  [ "$NO_SERVICES" = 1 ] && return 0
  NO_SERVICES=1
  [ -e "$POLICY_RC" ] && return 0
  printf '#!/bin/sh\n# temporary: written by KnowledgeTree scripts/install-test-deps.sh\nexit 101\n' \
    | as_root tee "$POLICY_RC" >/dev/null
  as_root chmod 755 "$POLICY_RC"
  CLEANUP+=("as_root rm -f '$POLICY_RC'")
}

apt_install() {
  apt_update
  no_service_starts
  run as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends -o DPkg::Lock::Timeout=600 \
    -o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold "$@"
}

# ---------------------------------------------------------------- checks
[ -r /etc/os-release ] && . /etc/os-release
OS_ID=${ID:-unknown}
command -v apt-get >/dev/null 2>&1 || die "this script supports Debian/Ubuntu (apt) only"
have_pg_server() { [ -x "$PG_BIN/postgres" ] && [ -x "$PG_BIN/initdb" ] && [ -x "$PG_BIN/pg_ctl" ] && [ -x "$PG_BIN/psql" ]; }
have_pg_dev() { [ -x "$PG_CONFIG" ] && [ -f "/usr/lib/postgresql/$PG_MAJOR/lib/pgxs/src/makefiles/pgxs.mk" ] \
  && [ -f "/usr/include/postgresql/$PG_MAJOR/server/postgres.h" ]; }
pgvector_version() {
  [ -f "$PG_SHARE/extension/vector.control" ] && [ -f "$PG_LIB/vector.so" ] || return 0
  sed -n "s/^[[:space:]]*default_version[[:space:]]*=[[:space:]]*'\([^']*\)'.*/\1/p" "$PG_SHARE/extension/vector.control"
}
have_pgvector() { local v; v=$(pgvector_version); [ -n "$v" ] && dpkg --compare-versions "$v" ge "$PGVECTOR_MIN"; }
want_chromium() { [ "${KT_SKIP_CHROMIUM:-}" != 1 ]; }
want_nginx() { [ "${KT_SKIP_NGINX:-}" != 1 ]; }
have_chromium() { [ -x /usr/bin/chromium ]; }
have_nginx() { command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ]; }

# make test-deploy needs only the deploy tools (section 6 on).
if [ "${KT_DEPLOY_TEST_ONLY:-}" = 1 ]; then KT_WITH_DEPLOY_TEST=1; fi
suite_deps() { [ "${KT_DEPLOY_TEST_ONLY:-}" != 1 ]; }

# ---------------------------------------------------------------- 1. PostgreSQL 15
if ! suite_deps; then :
elif have_pg_server; then
  say "postgresql-$PG_MAJOR" "ok (already installed: $("$PG_BIN/postgres" --version | awk '{print $3}'))"
else
  t=$SECONDS
  apt_update
  [ -n "$(apt_candidate postgresql-$PG_MAJOR)" ] && [ "$(apt_candidate postgresql-$PG_MAJOR)" != "(none)" ] \
    || die "postgresql-$PG_MAJOR is not available from the configured apt repositories (on Ubuntu add https://apt.postgresql.org, see https://wiki.postgresql.org/wiki/Apt)"
  pkg_installed postgresql-common || apt_install postgresql-common
  # No system cluster on a machine that has no PostgreSQL server yet. Only the
  # commented-out default is changed; an explicit setting is respected, and a
  # machine that already runs any PostgreSQL server version is left alone.
  CC=/etc/postgresql-common/createcluster.conf
  if ! dpkg-query -W -f='${Package} ${Status}\n' 'postgresql-[0-9]*' 2>/dev/null \
       | grep -Eq '^postgresql-[0-9]+ install ok installed' \
     && [ -f "$CC" ] && ! grep -Eq '^[[:space:]]*create_main_cluster[[:space:]]*=' "$CC"; then
    if grep -Eq '^[[:space:]]*#[[:space:]]*create_main_cluster' "$CC"; then
      as_root sed -i -E 's/^[[:space:]]*#[[:space:]]*create_main_cluster[[:space:]]*=.*/create_main_cluster = false/' "$CC"
    else
      echo 'create_main_cluster = false' | as_root tee -a "$CC" >/dev/null
    fi
    say "createcluster.conf" "set create_main_cluster = false (no system cluster will be created)"
  fi
  apt_install "postgresql-$PG_MAJOR" "postgresql-client-$PG_MAJOR"
  have_pg_server || die "postgresql-$PG_MAJOR installed but $PG_BIN is incomplete"
  say "postgresql-$PG_MAJOR" "installed $(pkg_version postgresql-$PG_MAJOR) ($((SECONDS - t))s)"
fi

# ---------------------------------------------------------------- 2. server-dev
if ! suite_deps; then :
elif have_pg_dev; then
  say "postgresql-server-dev-$PG_MAJOR" "ok (already installed)"
else
  t=$SECONDS
  apt_update
  dev=postgresql-server-dev-$PG_MAJOR
  srv_ver=$(pkg_version postgresql-$PG_MAJOR || true)
  # Same version as the installed server, so apt doesn't upgrade (and restart) it.
  if [ -n "$srv_ver" ] && apt_has_version "$dev" "$srv_ver"; then dev="$dev=$srv_ver"; fi
  apt_install "$dev"
  have_pg_dev || die "postgresql-server-dev-$PG_MAJOR installed but $PG_CONFIG / PGXS is missing"
  say "postgresql-server-dev-$PG_MAJOR" "installed $(pkg_version postgresql-server-dev-$PG_MAJOR) ($((SECONDS - t))s)"
fi

# ---------------------------------------------------------------- 3. pgvector
debian_mirror() {
  if [ -n "${KT_DEBIAN_MIRROR:-}" ]; then echo "$KT_DEBIAN_MIRROR"; return; fi
  if [ "$OS_ID" = debian ] && [ -n "${VERSION_CODENAME:-}" ]; then
    local m
    # deb822 (*.sources): first URI of a paragraph whose Suites has the release codename.
    m=$(awk -v RS= -v code="$VERSION_CODENAME" '
      { enabled = 1; uri = ""; suites = ""
        n = split($0, L, "\n")
        for (i = 1; i <= n; i++) {
          if (L[i] ~ /^[ \t]*#/) continue
          if (L[i] ~ /^Enabled:[ \t]*no/) enabled = 0
          if (L[i] ~ /^URIs:/) { split(L[i], u, /[ \t]+/); uri = u[2] }
          if (L[i] ~ /^Suites:/) suites = " " substr(L[i], 8) " "
        }
        if (enabled && uri ~ /^https?:/ && suites ~ ("[ \t]" code "[ \t]")) { print uri; exit }
      }' /etc/apt/sources.list.d/*.sources 2>/dev/null || true)
    if [ -z "$m" ]; then
      # one-line format: deb [opts] URI suite components
      m=$(cat /etc/apt/sources.list /etc/apt/sources.list.d/*.list 2>/dev/null \
        | sed -E 's/\[[^]]*\]//' \
        | awk -v code="$VERSION_CODENAME" '$1 == "deb" && $2 ~ /^https?:/ && $3 == code { print $2; exit }' || true)
    fi
    if [ -n "$m" ]; then echo "${m%/}"; return; fi
  fi
  echo "http://deb.debian.org/debian"
}

build_pgvector_from_debian_source() {
  local work mirror keyring user jobs
  pkg_installed dpkg-dev && command -v gcc >/dev/null 2>&1 && command -v make >/dev/null 2>&1 \
    && pkg_installed libc6-dev || apt_install dpkg-dev gcc make libc6-dev
  keyring=/usr/share/keyrings/debian-archive-keyring.gpg
  [ -f "$keyring" ] || apt_install debian-archive-keyring
  mirror=$(debian_mirror)
  work=$(mktemp -d /tmp/kt-pgvector.XXXXXX)
  CLEANUP+=("rm -rf '$work' 2>/dev/null || as_root rm -rf '$work'")
  mkdir -p "$work/apt/lists/partial" "$work/apt/cache/archives/partial" "$work/apt/parts" "$work/apt/prefs"
  echo "deb-src [signed-by=$keyring] $mirror $PGVECTOR_SUITE main" >"$work/apt/sources.list"
  user=$(id -un)
  # A private apt: own sources, lists, caches, no system sources/preferences.
  local APT=(apt-get -q
    -o "Dir::Etc::SourceList=$work/apt/sources.list"
    -o "Dir::Etc::SourceParts=$work/apt/parts"
    -o "Dir::Etc::Preferences=$work/apt/prefs/none"
    -o "Dir::Etc::PreferencesParts=$work/apt/prefs"
    -o "Dir::State::Lists=$work/apt/lists"
    -o "Dir::Cache=$work/apt/cache"
    -o "APT::Sandbox::User=$user"
    -o "Acquire::Languages=none")
  log_init
  "${APT[@]}" update >>"$LOG" 2>&1 || true
  # If the keyring is too old to know the suite's key, refresh it and retry once.
  if ! ls "$work/apt/lists/"*_Sources* >/dev/null 2>&1; then
    apt_install debian-archive-keyring
    run "${APT[@]}" update
  fi
  (cd "$work" && run "${APT[@]}" source --download-only pgvector)
  run dpkg-source --no-check -x "$(ls "$work"/pgvector_*.dsc | head -n1)" "$work/src"
  jobs=$(nproc 2>/dev/null || echo 2)
  # OPTFLAGS="" (as Debian does): no -march=native, so the build runs on any x86-64/arm64 CPU.
  # with_llvm=no: no JIT bitcode (tests run with jit=off), faster build.
  run make -C "$work/src" -j"$jobs" PG_CONFIG="$PG_CONFIG" OPTFLAGS="" with_llvm=no
  run as_root make -C "$work/src" PG_CONFIG="$PG_CONFIG" OPTFLAGS="" with_llvm=no install
  PGVECTOR_FROM="Debian $PGVECTOR_SUITE source $(basename "$(ls "$work"/pgvector_*.dsc | head -n1)" .dsc | sed 's/^pgvector_//') from $mirror"
}

if ! suite_deps; then :
elif have_pgvector; then
  say "pgvector" "ok (already installed: $(pgvector_version))"
else
  t=$SECONDS
  apt_update
  PGVECTOR_FROM=
  cand=$(apt_candidate "postgresql-$PG_MAJOR-pgvector")
  if [ -n "$cand" ] && [ "$cand" != "(none)" ] && dpkg --compare-versions "${cand#*:}" ge "$PGVECTOR_MIN"; then
    apt_install "postgresql-$PG_MAJOR-pgvector"
    PGVECTOR_FROM="apt postgresql-$PG_MAJOR-pgvector $cand"
  else
    build_pgvector_from_debian_source
  fi
  have_pgvector || die "pgvector installation finished but $PG_SHARE/extension/vector.control (>= $PGVECTOR_MIN) is missing"
  say "pgvector" "installed $(pgvector_version) via $PGVECTOR_FROM ($((SECONDS - t))s)"
fi

# ---------------------------------------------------------------- 4. chromium
if ! suite_deps; then :
elif ! want_chromium; then
  say "chromium" "skipped (KT_SKIP_CHROMIUM=1)"
elif have_chromium; then
  say "chromium" "ok (already installed)"
else
  t=$SECONDS
  apt_update
  cand=$(apt_candidate chromium)
  if [ "$OS_ID" = ubuntu ] || [ -z "$cand" ] || [ "$cand" = "(none)" ]; then
    # Ubuntu ships chromium only as a snap (unusable in containers/CI).
    say "chromium" "WARNING: no Debian chromium package here; browser tests need a Chromium/Chrome (set its path for Playwright) - skipped"
  else
    apt_install chromium fonts-liberation
    have_chromium || die "chromium installed but /usr/bin/chromium is missing"
    say "chromium" "installed $(pkg_version chromium) ($((SECONDS - t))s)"
  fi
fi

# ---------------------------------------------------------------- ffmpeg
if ! suite_deps; then :
elif command -v ffmpeg >/dev/null 2>&1 && command -v ffprobe >/dev/null 2>&1; then
  say "ffmpeg" "ok (already installed)"
else
  t=$SECONDS
  apt_install ffmpeg
  command -v ffprobe >/dev/null 2>&1 || die "ffmpeg installed but ffprobe is missing"
  say "ffmpeg" "installed $(pkg_version ffmpeg) ($((SECONDS - t))s)"
fi

# ---------------------------------------------------------------- 5. nginx
if ! suite_deps; then :
elif ! want_nginx; then
  say "nginx" "skipped (KT_SKIP_NGINX=1)"
elif have_nginx; then
  say "nginx" "ok (already installed)"
else
  t=$SECONDS
  apt_install nginx
  have_nginx || die "nginx installed but the nginx binary is missing"
  say "nginx" "installed $(pkg_version nginx) (service not started) ($((SECONDS - t))s)"
fi

# ---------------------------------------------------------------- pgbouncer
if ! suite_deps; then :
elif [ -x /usr/sbin/pgbouncer ]; then
  say "pgbouncer" "ok (already installed)"
else
  t=$SECONDS
  apt_install pgbouncer
  [ -x /usr/sbin/pgbouncer ] || die "pgbouncer installed but /usr/sbin/pgbouncer is missing"
  say "pgbouncer" "installed $(pkg_version pgbouncer) (service not started) ($((SECONDS - t))s)"
fi

# ---------------------------------------------------------------- 6. ansible
if command -v ansible-playbook >/dev/null 2>&1 && command -v ansible-lint >/dev/null 2>&1; then
  say "ansible" "ok (already installed)"
else
  t=$SECONDS
  apt_install ansible ansible-lint
  say "ansible" "installed $(pkg_version ansible-core) ($((SECONDS - t))s)"
fi

# ---------------------------------------------------------------- 7. prometheus
if ! suite_deps; then :
elif command -v prometheus >/dev/null 2>&1 && command -v promtool >/dev/null 2>&1; then
  say "prometheus" "ok (already installed)"
else
  t=$SECONDS
  apt_install prometheus
  command -v promtool >/dev/null 2>&1 || die "prometheus installed but promtool is missing"
  say "prometheus" "installed $(pkg_version prometheus) (service not started) ($((SECONDS - t))s)"
fi

# ---------------------------------------------------------------- 8. deploy tests
# The throwaway hosts of make test-deploy (testing/deploy/): containers, their
# rootfs, an apt cache on the test bridge, an ACME test CA. apt-cacher-ng's own
# service is not started (no_service_starts): the test runs a private one.
# iproute2 (the bridge) and openssh-client (the hosts' keys, ansible) are not
# in a minimal Debian image such as CI's.
DEPLOY_TEST_PACKAGES=(systemd-container mmdebstrap apt-cacher-ng pebble zstd curl openssl debian-archive-keyring iproute2 openssh-client)
if [ "${KT_WITH_DEPLOY_TEST:-}" = 1 ]; then
  missing=()
  for p in "${DEPLOY_TEST_PACKAGES[@]}"; do pkg_installed "$p" || missing+=("$p"); done
  if [ ${#missing[@]} -eq 0 ]; then
    say "deploy test tools" "ok (already installed)"
  else
    t=$SECONDS
    apt_install "${missing[@]}"
    say "deploy test tools" "installed ${missing[*]} ($((SECONDS - t))s)"
  fi
fi

say "install-test-deps" "done in $((SECONDS - T0))s"
