// autocannon (a separate node process) against one URL: requests per second,
// latency and errors, as its --json report gives them.
import { join } from 'node:path'
import { REPO } from './processes.ts'

const AUTOCANNON = join(REPO, 'node_modules/autocannon/autocannon.js')

export type Load = { rps: number; p50: number; p99: number; requests: number; errors: number; non2xx: number }

export async function autocannon(url: string, connections: number, seconds: number, headers: Record<string, string> = {}): Promise<Load> {
  const args = ['node', AUTOCANNON, '--json', '-c', String(connections), '-d', String(seconds), '-t', '10']
  for (const [k, v] of Object.entries(headers)) args.push('-H', `${k}=${v}`)
  args.push(url)
  const proc = Bun.spawn(args, { stdout: 'pipe', stderr: 'ignore' })
  // autocannon stops by itself after -d seconds; this is a backstop.
  const killer = setTimeout(() => proc.kill('SIGKILL'), (seconds + 20) * 1000)
  const out = await new Response(proc.stdout).text()
  clearTimeout(killer)
  await proc.exited
  const r = JSON.parse(out)
  return {
    rps: r.requests.average,
    p50: r.latency.p50,
    p99: r.latency.p99,
    requests: r.requests.total,
    errors: r.errors + r.timeouts,
    non2xx: r.non2xx,
  }
}
