// PgBouncer (Debian's package) in transaction mode in front of one Postgres,
// on a free loopback port, config and logs in a temp dir. For the load test's
// pooler mode and server/platform/pgbouncer.test.ts (scripts/install-test-deps.sh installs it).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { freePort } from '../benchmarks/processes.ts'

export const PGBOUNCER = ['/usr/sbin/pgbouncer', '/usr/bin/pgbouncer'].find((p) => Bun.file(p).size > 0) ?? null

export type PgBouncer = {
  url: string
  poolSize: number
  /** Transactions PgBouncer has passed to `database` since it started (its admin console's SHOW STATS). */
  transactions(database: string): Promise<number>
  stop(): Promise<void>
}

/** `serverUrl`: the database to pool (trust auth on the local test cluster). */
export async function startPgBouncer(serverUrl: string, options: { poolSize: number; maxClients: number }): Promise<PgBouncer> {
  if (!PGBOUNCER) throw new Error('pgbouncer is not installed: apt-get -o DPkg::Lock::Timeout=600 install -y pgbouncer')
  const target = new URL(serverUrl)
  const dir = mkdtempSync(join(tmpdir(), 'kt-pgbouncer-'))
  const port = freePort()
  const user = decodeURIComponent(target.username || 'postgres')
  writeFileSync(join(dir, 'users.txt'), `"${user}" ""\n`)
  writeFileSync(
    join(dir, 'pgbouncer.ini'),
    `[databases]
* = host=${target.hostname} port=${target.port}

[pgbouncer]
listen_addr = 127.0.0.1
listen_port = ${port}
unix_socket_dir =
auth_type = trust
auth_file = ${join(dir, 'users.txt')}
admin_users = ${user}
pool_mode = transaction
default_pool_size = ${options.poolSize}
max_client_conn = ${options.maxClients}
ignore_startup_parameters = extra_float_digits,options
logfile = ${join(dir, 'pgbouncer.log')}
pidfile = ${join(dir, 'pgbouncer.pid')}
`,
  )
  // PgBouncer refuses to run as root: as root, run it as the cluster's `postgres` user.
  const asRoot = process.getuid?.() === 0
  if (asRoot) await Bun.$`chown -R postgres: ${dir}`.quiet()
  const proc = Bun.spawn([...(asRoot ? ['runuser', '-u', 'postgres', '--'] : []), PGBOUNCER, join(dir, 'pgbouncer.ini')], {
    stdout: 'ignore',
    stderr: 'pipe',
  })
  const url = new URL(serverUrl)
  url.port = String(port)
  for (let i = 0; i < 100; i++) {
    if (proc.exitCode !== null) throw new Error(`pgbouncer exited: ${await new Response(proc.stderr).text()}`)
    const up = await Bun.connect({ hostname: '127.0.0.1', port, socket: { data() {} } }).then(
      (s) => (s.end(), true),
      () => false,
    )
    if (up) break
    await Bun.sleep(50)
  }
  return {
    url: url.toString(),
    poolSize: options.poolSize,
    async transactions(database) {
      const rows = await Bun.$`psql -X -At -F ${'|'} -h 127.0.0.1 -p ${port} -U ${user} pgbouncer -c ${'SHOW STATS'}`.text()
      const row = rows.split('\n').find((line) => line.split('|')[0] === database)
      return row ? Number(row.split('|')[1]) : 0
    },
    async stop() {
      proc.kill('SIGTERM')
      await proc.exited
      rmSync(dir, { recursive: true, force: true })
    },
  }
}
