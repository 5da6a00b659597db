// Backups that restore: a full backup, writes through the site, WAL archived
// by archive_timeout alone, then restore drills into a scratch cluster on the
// db host (pg_amcheck, row counts) from the local and the S3 repository, and
// a point-in-time restore to a moment between two batches of writes.
import { describe, expect, test } from 'bun:test'
import { readdirSync } from 'node:fs'
import { join } from 'node:path'
import { figure, fleet, make, sh, ssh, tail } from '../fleetWorld.ts'
import { api } from '../siteClient.ts'
import { siteData } from './shared.ts'

type Drill = {
  ok: boolean
  seconds: number
  restoreSeconds: number
  recoverySeconds: number
  amcheckSeconds: number
  target: string
  counts: Record<string, [number, number]>
}

const psql = (query: string) => sh('db1', `runuser -u postgres -- psql -d knowledgetree -Atc "${query}"`)
/** The drill's `summary {json}` line; the YAML callback folds a long one at a space onto indented lines. */
const summary = (out: string): Drill => {
  const unfolded = out.replace(/\n[ \t]+/g, ' ')
  return JSON.parse(/"msg": "(\{\\"ok\\".*\})"/.exec(unfolded)?.[1]?.replaceAll('\\"', '"') ?? /(\{"ok".*\})/.exec(unfolded)![1]!)
}

async function writeCollections(n: number, label: string) {
  const { account } = await siteData()
  for (let i = 0; i < n; i++) await api(account, 'POST', '/api/collections', { name: `${label} ${i}` }, 201)
}

export function backupScenarios() {
  describe('backups', () => {
    let atTarget = 0
    let target = ''

    test('make backup-now takes a full backup into the local and the S3 repository (s3rver over TLS)', async () => {
      const r = await make('backup-now', {}, 'backup-now')
      figure('`make backup-now` (full, local + S3)', r.seconds)
      expect(r.code, tail(r.out)).toBe(0)
      const info = JSON.parse(await sh('db1', 'runuser -u postgres -- pgbackrest --stanza=knowledgetree --output=json info'))[0]
      const repos = new Set(
        info.backup
          .filter((b: { type: string }) => b.type === 'full')
          .map((b: { database: { 'repo-key': number } }) => b.database['repo-key']),
      )
      expect([...repos].sort()).toEqual([1, 2])
      // The objects are in the fake S3's bucket, encrypted (pgBackRest's cipher).
      expect(readdirSync(join(fleet.s3Dir, 'knowledgetree'), { recursive: true }).some((f) => String(f).includes('backup.info'))).toBe(true)
    })

    test('writes after the backup reach the archive within archive_timeout, without forcing a WAL switch', async () => {
      await writeCollections(5, 'Before the target')
      atTarget = Number(await psql('select count(*) from collections'))
      target = await psql(`select to_char(now() at time zone 'utc', 'YYYY-MM-DD HH24:MI:SS.US+00')`)
      await Bun.sleep(1500)
      await writeCollections(3, 'After the target')
      const lag = await waitArchived(await psql('select pg_walfile_name(pg_current_wal_lsn())'))
      figure('WAL archived after the last write, by archive_timeout alone (the RPO)', lag)
    })

    test('make restore-drill: the latest backup + archived WAL restores into a scratch cluster, pg_amcheck clean, row counts equal', async () => {
      const r = await make('restore-drill', {}, 'restore-drill')
      expect(r.code, tail(r.out)).toBe(0)
      const drill = summary(r.out)
      figure(
        'restore drill, local repository (restore / WAL replay / pg_amcheck / total)',
        `${drill.restoreSeconds} s / ${drill.recoverySeconds} s / ${drill.amcheckSeconds} s / ${drill.seconds} s`,
      )
      figure('database size at the drill', await psql(`select pg_size_pretty(pg_database_size('knowledgetree'))`), '')
      expect(drill.ok).toBe(true)
      for (const [table, [production, restored]] of Object.entries(drill.counts)) expect(restored, table).toBe(production)
      expect(drill.counts.collections![1]).toBe(atTarget + 3)
    })

    test('a point-in-time restore to a timestamp between two batches of writes has exactly the first batch', async () => {
      const r = await make('restore-drill', { TARGET: target }, 'restore-drill-pitr')
      expect(r.code, tail(r.out)).toBe(0)
      const drill = summary(r.out)
      figure('point-in-time restore drill (total)', drill.seconds)
      expect(drill.target).toBe(target)
      expect(drill.counts.collections).toEqual([atTarget + 3, atTarget])
    })

    test('the S3 repository restores too', async () => {
      const r = await make('restore-drill', { REPO: '2' }, 'restore-drill-s3')
      expect(r.code, tail(r.out)).toBe(0)
      const drill = summary(r.out)
      figure('restore drill from the S3 repository (total)', drill.seconds)
      for (const [table, [production, restored]] of Object.entries(drill.counts)) expect(restored, table).toBe(production)
    })

    test('the scheduled drill (its hardened systemd unit) passes and records its result for Prometheus', async () => {
      const r = await ssh(
        'db1',
        'systemctl start knowledgetree-restore-drill.service; echo "exit=$?"; cat /var/lib/prometheus/node-exporter/knowledgetree_restore_drill.prom',
        900_000,
      )
      expect(r.out, tail(r.out)).toContain('exit=0')
      expect(r.out).toMatch(/^kt_restore_drill_success 1$/m)
      expect(r.out).toMatch(/^kt_restore_drill_last_success_timestamp_seconds \d+$/m)
    })
  })
}

/** Seconds until the WAL segment holding the last writes is archived (bounded: 3 minutes). */
async function waitArchived(segment: string): Promise<number> {
  const started = performance.now()
  while (performance.now() - started < 180_000) {
    if ((await psql("select coalesce(last_archived_wal, '') from pg_stat_archiver")) >= segment) return (performance.now() - started) / 1000
    await Bun.sleep(500)
  }
  throw new Error(`WAL segment ${segment} was not archived within 3 minutes of the last write (archive_timeout?)`)
}
