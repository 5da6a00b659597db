// Child processes for benchmarks: the real api (`bun server/main.ts`) and
// helpers, each on a free loopback port, with their memory read from /proc.
import { FETCH_LIMIT, FETCH_LIMIT_VARIABLE } from '../server/platform/fetchLimit.ts'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import type { Subprocess } from 'bun'
import { loadConfig, type Config } from '../server/platform/config.ts'

export const REPO = join(import.meta.dir, '..')
export const BUN = process.execPath

/**
 * Bun's fetch allows 256 requests in flight per process unless told otherwise;
 * a load client needs more, so the script re-runs itself with the limit raised
 * (the api it measures keeps its own default). Call at the top of the script.
 */
export async function rerunWithFetchLimit(limit: number): Promise<void> {
  if (process.env.BUN_CONFIG_MAX_HTTP_REQUESTS) return
  const child = Bun.spawn([process.execPath, ...process.argv.slice(1)], {
    env: { ...process.env, BUN_CONFIG_MAX_HTTP_REQUESTS: String(limit) },
    stdio: ['inherit', 'inherit', 'inherit'],
  })
  process.exit(await child.exited)
}

export function freePort(): number {
  const s = Bun.listen({ hostname: '127.0.0.1', port: 0, socket: { data() {} } })
  const port = s.port
  s.stop(true)
  return port
}

/** Resident memory of a process in KiB (VmRSS), or NaN once it has gone. */
export function rssKiB(pid: number): number {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))
    return m ? Number(m[1]) : NaN
  } catch {
    return NaN
  }
}

export type Child = {
  url: string
  pid: number
  proc: Subprocess
  rssKiB(): number
  stop(): Promise<void> /** The last 4,000 characters it wrote to stderr (children started by startChild). */
  stderrTail?(): string
}

async function waitForHttp(url: string, proc: Subprocess, timeoutMs: number, stderr: () => string, anyStatus: boolean): Promise<void> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    if (proc.exitCode !== null) throw new Error(`process exited (${proc.exitCode}) before ${url} answered:\n${stderr()}`)
    try {
      const res = await fetch(url)
      if (res.ok || anyStatus) return
    } catch {}
    if (Date.now() > deadline) throw new Error(`${url} did not answer within ${timeoutMs} ms:\n${stderr()}`)
    await Bun.sleep(100)
  }
}

/** Starts `bun <script>` with env and waits until GET readyPath on its port answers 2xx. */
export async function startChild(
  script: string,
  env: Record<string, string>,
  options: { port?: number; readyPath?: string; anyStatus?: boolean; args?: string[]; bunFlags?: string[]; timeoutMs?: number } = {},
): Promise<Child> {
  const port = options.port ?? freePort()
  let err = ''
  const proc = Bun.spawn([BUN, ...(options.bunFlags ?? []), script, ...(options.args ?? [])], {
    cwd: REPO,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', ...env, PORT: String(port) },
    stdout: 'ignore',
    stderr: 'pipe',
  })
  void (async () => {
    const reader = (proc.stderr as ReadableStream<Uint8Array>).getReader()
    for (let r = await reader.read(); !r.done; r = await reader.read()) err = (err + new TextDecoder().decode(r.value)).slice(-4000)
  })()
  const url = `http://127.0.0.1:${port}`
  try {
    await waitForHttp(url + (options.readyPath ?? '/readyz'), proc, options.timeoutMs ?? 30_000, () => err, options.anyStatus ?? false)
  } catch (e) {
    proc.kill('SIGKILL')
    throw e
  }
  return {
    url,
    pid: proc.pid,
    proc,
    rssKiB: () => rssKiB(proc.pid),
    stderrTail: () => err,
    async stop() {
      if (proc.exitCode !== null) return
      proc.kill('SIGTERM')
      const exited = await Promise.race([proc.exited.then(() => true), Bun.sleep(10_000).then(() => false)])
      if (!exited) proc.kill('SIGKILL')
    },
  }
}

/** The Anthropic Messages-API emulator (testing/anthropic/cli.ts) as its own process. */
export async function startAnthropicEmulator(args: string[]): Promise<Child> {
  const port = freePort()
  return startChild('testing/anthropic/cli.ts', {}, { port, args: ['--port', String(port), ...args], readyPath: '/', anyStatus: true })
}

export const API_JWT_SECRET = 'benchmark-secret-benchmark-secret-0123456789'
export const API_PUBLIC_URL = 'http://localhost:3000'

/** The config the api child runs with, for signing its tokens in the benchmark (testing/factories.ts makeUser). */
export function apiConfig(databaseUrl: string, env: Record<string, string> = {}): Config {
  return loadConfig(apiEnv(databaseUrl, env))
}

function apiEnv(databaseUrl: string, env: Record<string, string>): Record<string, string> {
  return {
    NODE_ENV: 'production',
    LOG_LEVEL: 'error',
    DATABASE_URL: databaseUrl,
    JWT_SECRET: API_JWT_SECRET,
    PUBLIC_URL: API_PUBLIC_URL,
    WEB_DIST_DIR: '/nonexistent',
    // As the systemd units start it: answers past 256 would otherwise wait for a fetch slot.
    [FETCH_LIMIT_VARIABLE]: String(FETCH_LIMIT),
    ...env,
  }
}

/** The real api as its own process on a benchmark database. */
export function startApi(databaseUrl: string, env: Record<string, string> = {}, bunFlags: string[] = []): Promise<Child> {
  return startChild('server/main.ts', apiEnv(databaseUrl, env), { bunFlags })
}
