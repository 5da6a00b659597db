#!/usr/bin/env bash
# Two releases derived from a built one, for the deploy tests:
#   <id>-next    the same code plus an expand-only migration (a new table), so a
#                rolling deploy applies a migration while the old release serves
#   <id>-broken  its api starts and answers /healthz, but /readyz stays 503:
#                the health gate must refuse it and the host go back
# Prints the two tarball paths. Each has its .sha256, like `make release`.
#
#   releaseVariants.sh .data/releases/knowledgetree-<id>.tar.zst
set -euo pipefail
src=$(realpath "${1:?usage: releaseVariants.sh RELEASE_TARBALL}")
out=$(dirname "$src")
id=$(basename "$src" .tar.zst); id=${id#knowledgetree-}
next=$out/knowledgetree-$id-next.tar.zst
broken=$out/knowledgetree-$id-broken.tar.zst
if [ -s "$next.sha256" ] && [ -s "$broken.sha256" ] && [ "$next" -nt "$src" ] && [ "$broken" -nt "$src" ]; then
  echo "$next"; echo "$broken"; exit 0
fi

work=$(mktemp -d "$out/.variants.XXXXXX")
trap 'rm -rf "$work"' EXIT
mkdir "$work/tree"
tar --zstd -xf "$src" -C "$work/tree"

manifest() { sed -E "s/\"id\":\"[^\"]*\"/\"id\":\"$1\"/" "$work/tree.RELEASE" >"$work/tree/RELEASE"; }
pack() {
  tar -I 'zstd -T0 -3 -q' -cf "$1.partial" -C "$work/tree" .
  mv "$1.partial" "$1"
  (cd "$out" && sha256sum "$(basename "$1")" >"$1.sha256")
}
cp "$work/tree/RELEASE" "$work/tree.RELEASE"

manifest "$id-next"
cat >"$work/tree/sql/9999_test_deploy_expand.sql" <<'SQL'
-- Added by testing/deploy/releaseVariants.sh: an expand step (a new table), which
-- the release that is still running must not notice.
create table test_deploy_expand (id bigint generated always as identity primary key, note text);
SQL
pack "$next"

manifest "$id-broken"
cat >"$work/tree/server/main.ts" <<'TS'
// Replaced by testing/deploy/releaseVariants.sh: a release that starts but is
// never ready, as one whose database or settings are wrong would be.
const port = Number(process.env.PORT)
Bun.serve({
  hostname: process.env.HOST ?? '127.0.0.1',
  port,
  fetch: (req) => (new URL(req.url).pathname === '/readyz' ? Response.json({ status: 'unavailable', reason: 'broken release' }, { status: 503 }) : Response.json({ status: 'ok' })),
})
process.on('SIGTERM', () => process.exit(0))
TS
pack "$broken"

echo "$next"
echo "$broken"
