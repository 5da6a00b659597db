#!/usr/bin/env bash
# Throwaway deploy-test hosts: Debian bookworm containers with systemd as PID 1
# (systemd-nspawn --boot), each on a copy-on-write overlay of one cached rootfs,
# on a bridge this script creates and removes. The hosts have no route out; apt
# reaches the Debian mirror through an apt-cacher-ng bound to the bridge.
#
#   fleet.sh rootfs           build the rootfs tarball unless the cache has it
#   fleet.sh up               bridge + apt cache + boot every host, wait for SSH
#   fleet.sh down             stop everything `up` started (by PID) and clean up
#   fleet.sh ssh HOST CMD...  run a command on a host as root
#
# Environment:
#   KT_FLEET_DIR    state of the running fleet (default /tmp/kt-fleet)
#   KT_FLEET_CACHE  rootfs tarballs and the apt cache, kept across runs
#                   (default /var/cache/knowledgetree-test-fleet)
#   KT_FLEET_HOSTS  name=last-octet pairs (default "lb=11 app1=12 app2=13 db=14")
#   KT_DEBIAN_MIRROR  Debian mirror (default http://deb.debian.org/debian)
set -euo pipefail

DIR=${KT_FLEET_DIR:-/tmp/kt-fleet}
CACHE=${KT_FLEET_CACHE:-/var/cache/knowledgetree-test-fleet}
HOSTS=${KT_FLEET_HOSTS:-lb=11 app1=12 app2=13 db=14}
MIRROR=${KT_DEBIAN_MIRROR:-http://deb.debian.org/debian}
BRIDGE=kt-br0
NET=10.213.0
GATEWAY=$NET.1
SUITE=bookworm
# What a fresh Debian VPS image has (minimal, with SSH and Python for Ansible).
PACKAGES=systemd,systemd-sysv,dbus,openssh-server,python3,iproute2,sudo,ca-certificates,procps,less,netbase
ROOTFS_RECIPE_VERSION=2

log() { printf '[fleet %s] %s\n' "$(date +%T)" "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }
[ "$(id -u)" = 0 ] || die "needs root (systemd-nspawn, bridges, overlay mounts)"

rootfs_key() { printf '%s\n' "$SUITE" "$PACKAGES" "$MIRROR" "$ROOTFS_RECIPE_VERSION" "$DPKG_SPEEDUP" | sha256sum | cut -c1-16; }
rootfs_tarball() { echo "$CACHE/rootfs-$SUITE-$(rootfs_key).tar.zst"; }

# Throwaway hosts need no fsync and no documentation: dpkg runs several times
# faster (as in Debian's container images; the playbooks do not depend on it).
export DPKG_SPEEDUP='force-unsafe-io
path-exclude=/usr/share/doc/*
path-exclude=/usr/share/man/*
path-exclude=/usr/share/info/*
path-exclude=/usr/share/locale/*
path-include=/usr/share/locale/locale.alias'

cmd_rootfs() {
  local out tmp t=$SECONDS
  out=$(rootfs_tarball)
  [ -s "$out" ] && { log "rootfs cached: $out"; return 0; }
  mkdir -p "$CACHE"
  tmp="$out.tmp.$$.tar.zst"
  log "building rootfs $out (mmdebstrap, about 75 s)"
  # Debian's keys from the keyring package, also where the host's apt trusts
  # others (Ubuntu CI runners); bounded, so a stalled mirror fails the run.
  local keyring=()
  [ -r /usr/share/keyrings/debian-archive-keyring.gpg ] && keyring=(--keyring=/usr/share/keyrings/debian-archive-keyring.gpg)
  # Host keys and machine-id are made per host at boot; root gets a key per run.
  timeout 900 mmdebstrap --variant=minbase --include="$PACKAGES" "${keyring[@]}" \
    --customize-hook='chroot "$1" systemctl enable systemd-networkd ssh' \
    --customize-hook='rm -f "$1"/etc/ssh/ssh_host_*; : > "$1"/etc/machine-id' \
    --customize-hook='printf "%s\n" "$DPKG_SPEEDUP" > "$1"/etc/dpkg/dpkg.cfg.d/01-kt-test-speedup' \
    "$SUITE" "$tmp" \
    "deb $MIRROR $SUITE main" "deb $MIRROR $SUITE-updates main" "deb ${MIRROR%/debian}/debian-security $SUITE-security main" \
    >"$CACHE/mmdebstrap.log" 2>&1 || { tail -20 "$CACHE/mmdebstrap.log" >&2; rm -f "$tmp"; die "mmdebstrap failed"; }
  mv "$tmp" "$out"
  log "rootfs built in $((SECONDS - t)) s ($(du -h "$out" | cut -f1))"
}

host_ip() { echo "$NET.${1#*=}"; }

start_apt_cache() {
  local conf=$DIR/acng
  mkdir -p "$conf" "$CACHE/apt-cacher-ng" "$DIR/acng-log"
  # Private config: fetch from the mirror this machine's apt uses (the packaged
  # backend list does not resolve here), cache kept across runs.
  echo "$MIRROR/" >"$conf/backends_debian"
  echo "${MIRROR%/debian}/debian-security/" >"$conf/backends_debian_security"
  cat >"$conf/acng.conf" <<ACNG
CacheDir: $CACHE/apt-cacher-ng
LogDir: $DIR/acng-log
SupportDir: /usr/lib/apt-cacher-ng
Remap-debrep: file:deb_mirror*.gz /debian ; file:backends_debian
Remap-secdeb: security.debian.org deb.debian.org/debian-security /debian-security ; file:backends_debian_security
ExThreshold: 4
ACNG
  setsid apt-cacher-ng -c "$conf" ForeGround=1 BindAddress=$GATEWAY Port=3142 </dev/null >"$DIR/acng-log/stdout" 2>&1 &
  echo $! >"$DIR/pids/apt-cacher-ng"
}

prepare_host() {
  local name=$1 ip=$2 h=$DIR/hosts/$1
  mkdir -p "$h/upper" "$h/work" "$h/root"
  mount -t overlay overlay -o "lowerdir=$DIR/base,upperdir=$h/upper,workdir=$h/work" "$h/root"
  echo "$name" >"$h/root/etc/hostname"
  printf '127.0.0.1 localhost\n127.0.1.1 %s\n' "$name" >"$h/root/etc/hosts"
  mkdir -p "$h/root/etc/systemd/network" "$h/root/root/.ssh"
  # 10-: Debian's 80-container-host0.network would win over a later name.
  printf '[Match]\nName=host0\n\n[Network]\nAddress=%s/24\nGateway=%s\n' "$ip" "$GATEWAY" >"$h/root/etc/systemd/network/10-host0.network"
  printf 'nameserver %s\n' "$GATEWAY" >"$h/root/etc/resolv.conf"
  # Stands in for the VPS's own route to a mirror.
  # A stalled fetch times out and is retried rather than hanging the run.
  printf 'Acquire::http::Proxy "http://%s:3142";\nAcquire::http::Timeout "30";\nAcquire::Retries "3";\n' "$GATEWAY" \
    >"$h/root/etc/apt/apt.conf.d/01kt-test-proxy"
  install -m 600 "$DIR/ssh/id_ed25519.pub" "$h/root/root/.ssh/authorized_keys"
  chroot "$h/root" ssh-keygen -A >/dev/null
}

# nspawn's per-machine propagation directory; one left by a host that was
# killed (not stopped) still has mounts, and the next boot with that name
# refuses it ("Attempted to remove disk file system …").
clear_propagate() {
  local p=/run/systemd/nspawn/propagate/kt-$1
  [ -e "$p" ] || return 0
  umount -R -l "$p" 2>/dev/null || true
  rm -rf "$p"
}

boot_host() {
  local name=$1 h=$DIR/hosts/$1
  clear_propagate "$name"
  # --register=no --keep-unit: there is no host systemd/machined to register with.
  setsid systemd-nspawn --quiet --register=no --keep-unit --console=passive --boot \
    --machine="kt-$name" --directory="$h/root" --network-bridge=$BRIDGE \
    </dev/null >"$h/console.log" 2>&1 &
  echo $! >"$DIR/pids/host-$name"
}

wait_ssh() {
  local name=$1 ip=$2 i
  for ((i = 0; i < 120; i++)); do
    if ssh -F "$DIR/ssh_config" -o ConnectTimeout=1 "root@$ip" true 2>/dev/null; then return 0; fi
    sleep 0.5
  done
  tail -20 "$DIR/hosts/$name/console.log" >&2 || true
  die "$name ($ip) did not accept SSH"
}

# apt-cacher-ng can stall when several hosts revalidate the same index at
# once (one host's `apt-get update` hung on bookworm-security's InRelease):
# update the hosts one after another, so the playbooks find fresh lists
# (their cache_valid_time) and only fetch packages, which the cache serves
# concurrently without trouble.
warm_apt() {
  local pair t=$SECONDS
  for pair in $HOSTS; do
    ssh -F "$DIR/ssh_config" "root@$(host_ip "$pair")" 'apt-get -qq update' >/dev/null ||
      die "${pair%=*}: apt-get update through the test cache failed"
  done
  log "apt lists fresh on every host in $((SECONDS - t)) s"
}

cmd_up() {
  local t=$SECONDS pair
  [ -e "$DIR/pids" ] && die "a fleet seems to be up ($DIR); run: $0 down"
  ip link show $BRIDGE >/dev/null 2>&1 && die "bridge $BRIDGE exists (another fleet running?)"
  cmd_rootfs
  mkdir -p "$DIR/pids" "$DIR/hosts" "$DIR/ssh" "$DIR/base"
  log "unpacking rootfs"
  tar --zstd -xpf "$(rootfs_tarball)" -C "$DIR/base"
  ssh-keygen -q -t ed25519 -N '' -C kt-fleet -f "$DIR/ssh/id_ed25519"
  cat >"$DIR/ssh_config" <<SSH
Host $NET.*
  User root
  IdentityFile $DIR/ssh/id_ed25519
  IdentitiesOnly yes
  StrictHostKeyChecking no
  UserKnownHostsFile /dev/null
  LogLevel ERROR
SSH
  ip link add $BRIDGE type bridge
  ip addr add $GATEWAY/24 dev $BRIDGE
  ip link set $BRIDGE up
  start_apt_cache
  for pair in $HOSTS; do prepare_host "${pair%=*}" "$(host_ip "$pair")"; done
  for pair in $HOSTS; do boot_host "${pair%=*}"; done
  for pair in $HOSTS; do wait_ssh "${pair%=*}" "$(host_ip "$pair")"; done
  warm_apt
  : >"$DIR/hosts.txt"
  for pair in $HOSTS; do echo "${pair%=*} $(host_ip "$pair")" >>"$DIR/hosts.txt"; done
  log "fleet up in $((SECONDS - t)) s: $(tr '\n' ' ' <"$DIR/hosts.txt")"
}

stop_pid() {
  local pid=$1 i
  kill -TERM "$pid" 2>/dev/null || return 0
  # A host's systemd stops its services first (PostgreSQL takes a while).
  for ((i = 0; i < 300; i++)); do kill -0 "$pid" 2>/dev/null || return 0; sleep 0.1; done
  kill -KILL "$pid" 2>/dev/null || true
}

cmd_down() {
  local f h name
  if [ -d "$DIR/pids" ]; then
    for f in "$DIR"/pids/host-*; do [ -e "$f" ] && stop_pid "$(cat "$f")" && rm -f "$f"; done
    for f in "$DIR"/pids/*; do [ -e "$f" ] && stop_pid "$(cat "$f")" && rm -f "$f"; done
  fi
  for h in "$DIR"/hosts/*; do
    [ -d "$h" ] || continue
    name=$(basename "$h")
    mountpoint -q "$h/root" && { umount "$h/root" || umount -l "$h/root"; }
    clear_propagate "$name"
  done
  ip link show $BRIDGE >/dev/null 2>&1 && ip link del $BRIDGE
  # A host's end of its veth pair (vb-kt-<host>) can outlive the host while the
  # kernel keeps its namespace a little longer; the next `up` could not boot
  # that host under the same name.
  for pair in $HOSTS; do
    ip link show "vb-kt-${pair%=*}" >/dev/null 2>&1 && ip link del "vb-kt-${pair%=*}"
  done
  rm -rf "$DIR"
  log "fleet down"
}

cmd_ssh() {
  local name=$1; shift
  local ip
  ip=$(awk -v n="$name" '$1 == n {print $2}' "$DIR/hosts.txt")
  [ -n "$ip" ] || die "no host $name"
  exec ssh -F "$DIR/ssh_config" "root@$ip" "$@"
}

case "${1:-}" in
  rootfs) cmd_rootfs ;;
  up) cmd_up ;;
  down) cmd_down ;;
  ssh) shift; cmd_ssh "$@" ;;
  *) echo "usage: $0 rootfs|up|down|ssh HOST CMD..." >&2; exit 2 ;;
esac
