#!/usr/bin/env bash
# The Makefile's deploy targets. Every run that changes the fleet holds the
# deploy lock (on the first app host) and releases it when it ends, however
# it ends (error, Ctrl-C, kill): an interrupted deploy never leaves it behind.
#
#   run.sh deploy        provision + roll out a release (built unless RELEASE is a tarball)
#   run.sh rollout       roll a release out without provisioning (settings and roles unchanged)
#   run.sh rollback      roll every app host back to its previous release
#   run.sh unlock        clear a stale deploy lock
#   run.sh backup-now | restore-drill
#
# Environment: INVENTORY (required), LIMIT, RELEASE (tarball path), RELEASE_ID
# (rollback target), SERIAL (app hosts at once), TARGET and REPO (restore drill:
# a point in time, a repository), ANSIBLE_ARGS (passed through).
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$PWD
action=${1:?usage: run.sh deploy|rollout|rollback|unlock|backup-now|restore-drill}
[ -n "${INVENTORY:-}" ] || { echo "Set INVENTORY=path/to/inventory (e.g. ansible/inventories/example-vps/hosts.yml)" >&2; exit 2; }
export ANSIBLE_CONFIG=$ROOT/ansible/ansible.cfg
inventory=$(realpath "$INVENTORY")
# shellcheck disable=SC2206
extra=(${ANSIBLE_ARGS:-})
[ -n "${SERIAL:-}" ] && extra+=(-e "kt_deploy_serial=$SERIAL")
limit=()
[ -n "${LIMIT:-}" ] && limit=(--limit "$LIMIT")

playbook() { ansible-playbook -i "$inventory" "$ROOT/ansible/$1" "${extra[@]}" "${@:2}"; }

token=$(head -c 12 /dev/urandom | od -An -tx1 | tr -d ' \n')
lock() {
  playbook lock.yml -e "kt_lock_action=$1" -e "kt_lock_token=$token" \
    -e "kt_lock_holder='${USER:-$(id -un)}@$(hostname) pid $$: $action${2:+ $2}'" -e "kt_lock_started=$(date +%s)"
}
locked() {
  lock acquire "$1"
  trap 'status=$?; trap - EXIT INT TERM; lock release >/dev/null || echo "could not release the deploy lock; clear it with make deploy-unlock" >&2; exit $status' EXIT
  trap 'exit 130' INT
  trap 'exit 143' TERM
}

case "$action" in
  deploy | rollout)
    tarball=${RELEASE:-$(bash scripts/deploy/release.sh)}
    [ -s "$tarball" ] && [ -s "$tarball.sha256" ] || { echo "no release tarball (with .sha256) at $tarball" >&2; exit 1; }
    id=$(basename "$tarball" .tar.zst); id=${id#knowledgetree-}
    locked "$id"
    playbook "$([ "$action" = deploy ] && echo site.yml || echo deploy.yml)" "${limit[@]}" -e "kt_release_id=$id" -e "kt_release_file=$tarball"
    ;;
  rollback)
    locked "${RELEASE_ID:-previous}"
    playbook rollback.yml "${limit[@]}" ${RELEASE_ID:+-e "kt_release_id=$RELEASE_ID"}
    ;;
  unlock) lock clear ;;
  backup-now) playbook backup-now.yml ;;
  # TARGET has a space ("YYYY-MM-DD HH:MM:SS+00"): as JSON, not key=value, which splits it there.
  restore-drill) playbook restore-drill.yml ${TARGET:+-e "{\"kt_restore_target\": \"$TARGET\"}"} ${REPO:+-e "kt_restore_repo=$REPO"} ;;
  *) echo "unknown action $action" >&2; exit 2 ;;
esac
