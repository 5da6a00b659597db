// What an attacker and an auditor see: sandboxed units, a firewall that lets
// the world reach only SSH and the web, PostgreSQL only from the app hosts,
// and Prometheus watching every part.
import { describe, expect, test } from 'bun:test'
import { connect } from 'node:net'
import { API_PORTS, APP_HOSTS, fleet, releaseId, sh, ssh, type HostName } from '../fleetWorld.ts'

const HOSTS: HostName[] = ['lb1', 'app1', 'app2', 'db1']
const PUBLIC: Record<HostName, number[]> = { lb1: [22, 80, 443], app1: [22], app2: [22], db1: [22] }

/** Whether a TCP connection from this machine (outside the hosts) gets through. */
function reachable(ip: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: ip, port })
    const done = (open: boolean) => {
      socket.destroy()
      resolve(open)
    }
    socket.setTimeout(2500, () => done(false))
    socket.once('connect', () => done(true))
    socket.once('error', () => done(false))
  })
}

/** Whether `from` can open a TCP connection to `to`:port. */
async function reachableFrom(from: HostName, to: HostName, port: number): Promise<boolean> {
  const r = await ssh(from, `timeout 3 bash -c 'exec 3<>/dev/tcp/${fleet.hosts[to]}/${port}' && echo open || echo closed`)
  return r.out.trim().endsWith('open')
}

async function exposure(host: HostName, unit: string): Promise<number> {
  const out = await sh(host, `systemd-analyze security --no-pager ${unit} | tail -1`)
  const m = /Overall exposure level for \S+: ([\d.]+)/.exec(out)
  if (!m) throw new Error(`${host} ${unit}: ${out}`)
  return Number(m[1])
}

export function hardeningScenarios() {
  describe('hardening', () => {
    test('systemd-analyze security: every KnowledgeTree unit has an exposure of 2.5 or less', async () => {
      const units: [HostName, string][] = [
        ...APP_HOSTS.flatMap((h): [HostName, string][] => [
          ...API_PORTS.map((p): [HostName, string] => [h, `knowledgetree-api@${p}.service`]),
          [h, 'knowledgetree-workers.service'],
          [h, `knowledgetree-migrate@${releaseId(fleet.releases.next)}.service`],
        ]),
        ['db1', 'knowledgetree-backup@full.service'],
        ['db1', 'knowledgetree-restore-drill.service'],
        ['lb1', 'knowledgetree-tls-expiry.service'],
      ]
      const scores = Object.fromEntries(await Promise.all(units.map(async ([h, u]) => [`${h} ${u}`, await exposure(h, u)] as const)))
      console.log('systemd-analyze security exposure:', scores)
      for (const [unit, score] of Object.entries(scores)) expect(score, unit).toBeLessThanOrEqual(2.5)
    })

    test('from outside, only 22 (every host) and 80/443 (the load balancer) answer, of every port anything listens on', async () => {
      for (const host of HOSTS) {
        const listening = (await sh(host, 'ss -Htln'))
          .split('\n')
          .map((l) => l.trim().split(/\s+/)[3]!)
          .filter((a) => a && !a.startsWith('127.') && !a.startsWith('[::1]'))
          .map((a) => Number(a.slice(a.lastIndexOf(':') + 1)))
        const ports = [...new Set(listening)].sort((a, b) => a - b)
        expect(ports.length, host).toBeGreaterThan(1)
        const open = (await Promise.all(ports.map(async (p) => ((await reachable(fleet.hosts[host], p)) ? p : null)))).filter(
          (p) => p !== null,
        )
        expect(open, `${host} listens on ${ports.join(', ')}`).toEqual(PUBLIC[host])
      }
    })

    test('PostgreSQL is reachable from the app hosts only; the api ports from the load balancer only', async () => {
      for (const app of APP_HOSTS) expect(await reachableFrom(app, 'db1', 5432), app).toBe(true)
      expect(await reachableFrom('lb1', 'db1', 5432)).toBe(false)
      expect(await reachable(fleet.hosts.db1, 5432)).toBe(false)
      expect(await reachableFrom('lb1', 'app1', 3001)).toBe(true)
      expect(await reachableFrom('db1', 'app1', 3001)).toBe(false)
      expect(await reachableFrom('app2', 'app1', 3001)).toBe(false)
      // Connections from app hosts must use TLS: pg_hba has only hostssl lines for them.
      const hba = await sh('db1', 'grep -E "^host" /etc/postgresql/15/main/pg_hba.conf')
      for (const app of APP_HOSTS) expect(hba).toContain(`hostssl knowledgetree knowledgetree ${fleet.hosts[app]}/32 scram-sha-256`)
    })

    test('Prometheus scrapes every exporter and api instance, and has the alert rules loaded', async () => {
      const query = (path: string) =>
        sh(
          'lb1',
          `python3 -c "import urllib.request,sys; sys.stdout.write(urllib.request.urlopen('http://127.0.0.1:9090${path}').read().decode())"`,
        )
      let up: { metric: { job: string; instance: string }; value: [number, string] }[] = []
      for (let i = 0; i < 60; i++) {
        up = JSON.parse(await query('/api/v1/query?query=up')).data.result
        if (up.length >= 10 && up.every((r) => r.value[1] === '1')) break
        await Bun.sleep(2000)
      }
      const jobs = up.map((r) => `${r.metric.job} ${r.metric.instance} ${r.value[1]}`).sort()
      expect(
        jobs.filter((j) => !j.endsWith(' 1')),
        jobs.join('\n'),
      ).toEqual([])
      expect(up.filter((r) => r.metric.job === 'knowledgetree-api')).toHaveLength(4)
      expect(up.filter((r) => r.metric.job === 'node')).toHaveLength(4)
      expect(up.filter((r) => r.metric.job === 'postgres')).toHaveLength(1)
      const rules = JSON.parse(await query('/api/v1/rules')).data.groups.flatMap((g: { rules: { name: string }[] }) =>
        g.rules.map((r) => r.name),
      )
      expect(rules).toContain('KtRestoreDrillFailed')
      expect(rules).toContain('KtBackupTooOld')
      expect(rules).toContain('KtTlsCertificateExpiring')
      // The load balancer's certificate (pebble's) is exported by its expiry timer.
      const series = async (q: string) =>
        JSON.parse(await query(`/api/v1/query?query=${encodeURIComponent(q)}`)).data.result as {
          metric: Record<string, string>
          value: [number, string]
        }[]
      let readable = await series('kt_tls_certificate_readable')
      for (let i = 0; i < 30 && readable.length === 0; i++) {
        await Bun.sleep(2000)
        readable = await series('kt_tls_certificate_readable')
      }
      expect(readable.map((r) => [r.metric.path, r.value[1]])).toEqual([['/etc/letsencrypt/live/knowledgetree/cert.pem', '1']])
      const daysLeft = await series('(kt_tls_certificate_not_after_seconds - time()) / 86400')
      expect(daysLeft).toHaveLength(1)
      expect(Number(daysLeft[0]!.value[1])).toBeGreaterThan(7)
    })
  })
}
