#!/usr/bin/env bash
# Builds one release tarball from the committed tree: the web app build, the
# server/jobs/sql code, production node_modules and the Bun binary, plus a
# RELEASE manifest; writes .data/releases/knowledgetree-<id>.tar.zst and its
# .sha256, and prints the tarball's path. Built once, deployed to every host.
#
#   scripts/deploy/release.sh            id = the commit (12 hex digits)
#   RELEASE_ID=x scripts/deploy/release.sh
#   ALLOW_DIRTY=1 ...                    build with uncommitted changes (id gets -dirty)
#   scripts/deploy/release.sh --list-files   print the committed files it ships
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$PWD
OUT=$ROOT/.data/releases
log() { echo "[release] $*" >&2; }

# The committed files a release ships besides client/.output, RELEASE, bin and
# node_modules. scripts/deploy/releaseFiles.test.ts checks that everything the
# hosts run (server/main.ts, jobs/main.ts, jobs/supervisor.ts,
# scripts/migrate.ts) imports only these files and production dependencies.
release_files() {
  git ls-files -- server jobs sql scripts client/serve.ts client/devProxy.ts package.json bunfig.toml tsconfig.json \
    | grep -v -E '\.test\.ts$'
}
if [ "${1:-}" = --list-files ]; then release_files; exit 0; fi

sha=$(git rev-parse --short=12 HEAD)
if [ -n "$(git status --porcelain --untracked-files=no)" ]; then
  [ "${ALLOW_DIRTY:-}" = 1 ] || { echo "release: the work tree has uncommitted changes; commit them (or ALLOW_DIRTY=1)" >&2; exit 1; }
  sha="$sha-dirty"
fi
id=${RELEASE_ID:-$sha}
[[ "$id" =~ ^[A-Za-z0-9._-]+$ ]] || { echo "release: bad RELEASE_ID $id" >&2; exit 1; }
tarball=$OUT/knowledgetree-$id.tar.zst
if [ -s "$tarball" ] && [ -s "$tarball.sha256" ] && [ "${REBUILD:-}" != 1 ]; then log "exists: $tarball"; echo "$tarball"; exit 0; fi
mkdir -p "$OUT"

log "building the web app"
make --no-print-directory build >&2

# Production dependencies, installed once per lockfile.
lockhash=$(cat package.json package-lock.json patches/*.patch | sha256sum | cut -c1-16)
deps=$ROOT/.data/release-deps/$lockhash
if [ ! -d "$deps/node_modules" ]; then
  log "installing production dependencies (npm ci --omit=dev)"
  rm -rf "$deps.partial" && mkdir -p "$deps.partial"
  cp package.json package-lock.json "$deps.partial/"
  # --loglevel=error: Bun runs the release, so the Node `engines` warnings of
  # packages written for Node 22/24 (pg-boss) do not apply (as in the Makefile).
  (cd "$deps.partial" && npm ci --omit=dev --ignore-scripts --no-audit --no-fund --loglevel=error >&2)
  # --ignore-scripts skipped the postinstall: apply patches/ with the dev install's patch-package.
  cp -r patches "$deps.partial/"
  (cd "$deps.partial" && "$ROOT/node_modules/.bin/patch-package" --error-on-fail >&2 && rm -rf patches)
  rm -rf "$deps" && mv "$deps.partial" "$deps"
fi

stage=$(mktemp -d "$OUT/.stage.XXXXXX")
trap 'rm -rf "$stage"' EXIT
mkdir -p "$stage/bin"
# The Bun the tests ran with, for this machine's architecture.
cp node_modules/bun/bin/bun.exe "$stage/bin/bun"
printf '{"id":"%s","commit":"%s","built":"%s","arch":"%s","bun":"%s"}\n' \
  "$id" "$(git rev-parse HEAD)" "$(date -u +%FT%TZ)" "$(uname -m)" "$("$stage/bin/bun" --version)" >"$stage/RELEASE"
release_files >"$stage/files"

log "packing $tarball"
tar -I 'zstd -T0 -3 -q' -cf "$tarball.partial" \
  -C "$ROOT" --files-from="$stage/files" client/.output \
  -C "$stage" RELEASE bin \
  -C "$deps" node_modules
mv "$tarball.partial" "$tarball"
(cd "$OUT" && sha256sum "$(basename "$tarball")" >"$tarball.sha256")
log "done: $(du -h "$tarball" | cut -f1)"
echo "$tarball"
