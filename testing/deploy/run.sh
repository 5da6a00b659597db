#!/usr/bin/env bash
# make test-deploy: deploys KnowledgeTree with the real playbooks to throwaway
# hosts and tests what operators rely on (testing/deploy/fleet.scenario.ts).
#
#  1. installs the tools (KT_DEPLOY_TEST_ONLY=1 scripts/install-test-deps.sh)
#  2. builds the release under test and two variants (testing/deploy/releaseVariants.sh)
#  3. boots the hosts lb, app1, app2, db on a bridge of its own (fleet.sh)
#  4. starts, on the bridge address only: pebble (ACME) with its fake DNS,
#     s3rver over TLS (pgBackRest's S3 repository) and the Anthropic emulator
#  5. writes an inventory and an ansible-vault encrypted vault for them
#  6. runs the scenarios, then tears everything down (KT_KEEP_FLEET=1 keeps it)
#
# Needs root (containers, bridge). Figures of the run and the output of every
# command: .data/test-deploy/. To look around after a run: KT_KEEP_FLEET=1,
# then bash testing/deploy/fleet.sh ssh app1 …; scenarios again with
# KT_DEPLOY_STATE=/tmp/kt-fleet/harness/state.json bun test ./testing/deploy/fleet.scenario.ts -t …
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$PWD
export KT_FLEET_DIR=${KT_FLEET_DIR:-/tmp/kt-fleet}
DIR=$KT_FLEET_DIR
H=$DIR/harness
OUT=$ROOT/.data/test-deploy
GATEWAY=10.213.0.1
DOMAIN=kt.test
BUN=$ROOT/node_modules/.bin/bun
fleet() { bash "$ROOT/testing/deploy/fleet.sh" "$@"; }
log() { printf '[test-deploy %s] %s\n' "$(date +%T)" "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }
[ "$(id -u)" = 0 ] || die "needs root (systemd-nspawn, a bridge, overlay mounts)"
T0=$SECONDS

log "tools"
KT_DEPLOY_TEST_ONLY=1 bash scripts/install-test-deps.sh >&2

log "releases"
t=$SECONDS
# Uncommitted changes are tested too: a dirty release is rebuilt when what goes
# into it changed since the last run.
inputs=(server jobs sql scripts client package.json package-lock.json bunfig.toml tsconfig.json)
stamp=$( (git rev-parse HEAD; git diff HEAD -- "${inputs[@]}") | sha256sum | cut -c1-16)
mkdir -p .data/releases
[ "$(cat .data/releases/.test-deploy-inputs 2>/dev/null)" = "$stamp" ] || export REBUILD=1
release=$(ALLOW_DIRTY=1 bash scripts/deploy/release.sh)
echo "$stamp" >.data/releases/.test-deploy-inputs
mapfile -t variants < <(bash testing/deploy/releaseVariants.sh "$release")
release_s=$((SECONDS - t))

teardown() {
  local status=$?
  trap - EXIT INT TERM
  if [ "${KT_KEEP_FLEET:-}" = 1 ]; then
    log "KT_KEEP_FLEET=1: the fleet stays up ($DIR); remove it with: bash testing/deploy/fleet.sh down"
  else
    fleet down || true
  fi
  log "finished in $((SECONDS - T0)) s with status $status"
  exit "$status"
}
trap teardown EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
fleet up
mkdir -p "$H" "$OUT"

# One CA for the test's own TLS servers (pebble's API, s3rver); the hosts trust it.
pki() {
  local d=$H/pki
  mkdir -p "$d"
  openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 2 \
    -subj "/CN=KnowledgeTree deploy-test CA" -keyout "$d/ca.key" -out "$d/ca.pem" 2>/dev/null
  openssl req -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -subj "/CN=$GATEWAY" \
    -keyout "$d/server.key" -out "$d/server.csr" 2>/dev/null
  printf 'subjectAltName=IP:%s,DNS:%s\nextendedKeyUsage=serverAuth\n' "$GATEWAY" "$GATEWAY" >"$d/server.ext"
  openssl x509 -req -in "$d/server.csr" -CA "$d/ca.pem" -CAkey "$d/ca.key" -CAcreateserial -days 2 \
    -extfile "$d/server.ext" -out "$d/server.pem" 2>/dev/null
}

# A background process that fleet.sh down stops with the hosts.
background() {
  local name=$1; shift
  setsid "$@" </dev/null >"$H/$name.log" 2>&1 &
  echo $! >"$DIR/pids/$name"
}
wait_port() {
  local i
  for ((i = 0; i < 100; i++)); do
    (exec 3<>"/dev/tcp/$GATEWAY/$1") 2>/dev/null && return 0
    sleep 0.2
  done
  tail -20 "$H/$2.log" >&2
  die "$2 did not listen on $GATEWAY:$1"
}

log "pebble, s3rver and the Anthropic emulator on $GATEWAY"
pki
cat >"$H/pebble.json" <<JSON
{"pebble": {"listenAddress": "$GATEWAY:14000", "managementListenAddress": "$GATEWAY:15000",
  "certificate": "$H/pki/server.pem", "privateKey": "$H/pki/server.key",
  "httpPort": 80, "tlsPort": 443, "ocspResponderURL": "", "externalAccountBindingRequired": false}}
JSON
# Fake DNS: every name is the lb host, so HTTP-01 validation reaches its nginx.
background challtestsrv pebble-challtestsrv -dns01 "$GATEWAY:8053" -http01 "" -https01 "" -tlsalpn01 "" \
  -management "$GATEWAY:8055" -defaultIPv4 10.213.0.11 -defaultIPv6 ""
background pebble env PEBBLE_VA_NOSLEEP=1 PEBBLE_WFE_NONCEREJECT=0 \
  pebble -config "$H/pebble.json" -dnsserver "$GATEWAY:8053"
mkdir -p "$H/s3"
background s3rver node "$ROOT/node_modules/s3rver/bin/s3rver.js" -d "$H/s3" -a "$GATEWAY" -p 4569 \
  --key "$H/pki/server.key" --cert "$H/pki/server.pem" --configure-bucket knowledgetree
# An answer of about 3 s (80 tokens at 25/s), long enough to span an instance restart.
answer=$(for i in $(seq 1 78); do printf 'word%s ' "$i"; done)
printf '%sthe end [1].' "$answer" >"$H/answer.txt"
background emulator "$BUN" testing/anthropic/cli.ts --host "$GATEWAY" --port 4010 --ttft-ms 200 \
  --tokens-per-second 25 --answer-file "$H/answer.txt"
wait_port 14000 pebble
wait_port 15000 pebble
wait_port 4569 s3rver
wait_port 4010 emulator
# Pebble makes a new root at every start: what the issued certificates chain to.
curl -sf --cacert "$H/pki/ca.pem" "https://$GATEWAY:15000/roots/0" >"$H/pebble-root.pem"

log "inventory and vault"
inv=$H/inventory
mkdir -p "$inv/group_vars/all" "$inv/group_vars/app"
cat >"$inv/hosts.yml" <<YAML
# Generated by testing/deploy/run.sh for the throwaway hosts of make test-deploy.
all:
  vars:
    ansible_user: root
    ansible_ssh_common_args: -F $DIR/ssh_config
  hosts:
    lb1: {ansible_host: 10.213.0.11}
    app1: {ansible_host: 10.213.0.12}
    app2: {ansible_host: 10.213.0.13}
    db1: {ansible_host: 10.213.0.14}
  children:
    lb: {hosts: {lb1: {}}}
    app: {hosts: {app1: {}, app2: {}}}
    db: {hosts: {db1: {}}}
    monitoring: {hosts: {lb1: {}}}
YAML
echo "kt_api_instances: 2" >"$inv/group_vars/app/main.yml"
indent() { sed 's/^/  /' "$1"; }
cat >"$inv/group_vars/all/main.yml" <<YAML
kt_domain: $DOMAIN
kt_admin_email: ops@$DOMAIN
kt_db_password: "{{ vault_kt_db_password }}"
app_secrets: "{{ vault_app_secrets }}"
app_env:
  ANTHROPIC_BASE_URL: http://$GATEWAY:4010
  LOG_LEVEL: info
  # The worker supervisor keeps one worker on these small hosts, two at most.
  WORKERS_MIN: "1"
  WORKERS_MAX: "2"
# Seconds (tries) an instance gets to pass /readyz: the broken release waits all of them out.
app_health_timeout: 30
tls_acme_server: https://$GATEWAY:14000/dir
tls_acme_ca_bundle: |
$(indent "$H/pki/ca.pem")
backups_s3_enabled: true
backups_s3_bucket: knowledgetree
backups_s3_region: us-east-1
backups_s3_endpoint: $GATEWAY
backups_s3_port: 4569
backups_s3_uri_style: path
backups_s3_key: "{{ vault_s3_key }}"
backups_s3_key_secret: "{{ vault_s3_key_secret }}"
backups_s3_cipher_pass: "{{ vault_s3_cipher_pass }}"
backups_s3_ca_certificate: |
$(indent "$H/pki/ca.pem")
YAML
secret() { openssl rand -hex "$1"; }
cat >"$inv/group_vars/all/vault.yml" <<YAML
vault_kt_db_password: $(secret 24)
vault_app_secrets:
  JWT_SECRET: $(secret 32)
  METRICS_TOKEN: $(secret 24)
  ANTHROPIC_API_KEY: sk-ant-test-$(secret 8)
vault_s3_key: S3RVER
vault_s3_key_secret: S3RVER
vault_s3_cipher_pass: $(secret 24)
YAML
secret 32 >"$H/vault-pass"
chmod 600 "$H/vault-pass"
# Its own stdio: ansible refuses file handles a Node process before it (npm,
# the web build) left non-blocking, and this script's may be such.
ansible-vault encrypt --vault-password-file "$H/vault-pass" "$inv/group_vars/all/vault.yml" </dev/null >"$H/vault.log" 2>&1 ||
  { cat "$H/vault.log" >&2; die "ansible-vault encrypt failed"; }

cat >"$H/state.json" <<JSON
{"dir": "$DIR", "sshConfig": "$DIR/ssh_config", "inventory": "$inv/hosts.yml", "vaultPasswordFile": "$H/vault-pass",
 "domain": "$DOMAIN", "gateway": "$GATEWAY", "acmeServer": "https://$GATEWAY:14000/dir",
 "testCa": "$H/pki/ca.pem", "pebbleRoot": "$H/pebble-root.pem", "s3Dir": "$H/s3", "answerFile": "$H/answer.txt",
 "hosts": {"lb1": "10.213.0.11", "app1": "10.213.0.12", "app2": "10.213.0.13", "db1": "10.213.0.14"},
 "releases": {"current": "$release", "next": "${variants[0]}", "broken": "${variants[1]}"},
 "out": "$OUT", "setupSeconds": $((SECONDS - T0)), "releaseSeconds": $release_s}
JSON

log "scenarios (set up in $((SECONDS - T0)) s)"
# KT_DEPLOY_ONLY=<pattern>: only the scenarios whose names match (bun test -t).
# Bounded as a whole (KT_DEPLOY_TIMEOUT_MIN, default 45; on a 2-core box at
# load ~4 they take about 22 min): past it, timeout stops bun, the run fails
# and the fleet comes down (a command bun left running then fails on it).
limit=${KT_DEPLOY_TIMEOUT_MIN:-45}
status=0
KT_DEPLOY_STATE=$H/state.json timeout --kill-after=60 "${limit}m" \
  "$BUN" test --timeout 2700000 ./testing/deploy/fleet.scenario.ts ${KT_DEPLOY_ONLY:+-t "$KT_DEPLOY_ONLY"} || status=$?
[ "$status" = 124 ] && log "ERROR: the scenarios did not finish within $limit minutes (KT_DEPLOY_TIMEOUT_MIN)"
exit "$status"
