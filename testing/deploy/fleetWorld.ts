// The throwaway fleet of make test-deploy as the scenarios see it: the state
// testing/deploy/run.sh wrote, commands on the hosts over SSH, the make
// targets operators use, and the figures of the run (.data/test-deploy/).
import { appendFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'

export type DeployState = {
  dir: string
  sshConfig: string
  inventory: string
  vaultPasswordFile: string
  domain: string
  gateway: string
  acmeServer: string
  testCa: string
  pebbleRoot: string
  s3Dir: string
  answerFile: string
  hosts: Record<'lb1' | 'app1' | 'app2' | 'db1', string>
  releases: { current: string; next: string; broken: string }
  out: string
  setupSeconds: number
  releaseSeconds: number
}
export type HostName = keyof DeployState['hosts']

export const ROOT = join(import.meta.dir, '..', '..')
const statePath = process.env.KT_DEPLOY_STATE
if (!statePath) throw new Error('Run this through make test-deploy (testing/deploy/run.sh), which boots the hosts.')
export const fleet: DeployState = JSON.parse(readFileSync(statePath, 'utf8'))
mkdirSync(join(fleet.out, 'logs'), { recursive: true })

export const releaseId = (tarball: string) =>
  tarball
    .split('/')
    .at(-1)!
    .replace(/^knowledgetree-/, '')
    .replace(/\.tar\.zst$/, '')
export const APP_HOSTS: HostName[] = ['app1', 'app2']
export const API_PORTS = [3001, 3002]

/** The longest a single command may take: a first converge on a loaded 2-core machine took 30 min. */
export const RUN_TIMEOUT_MS = 40 * 60_000

export type RunResult = { code: number; out: string; seconds: number }
let runs = 0

/** Runs a command to completion (killed after timeoutMs); its output also goes to .data/test-deploy/logs/. */
export async function run(
  name: string,
  cmd: string[],
  options: { env?: Record<string, string>; timeoutMs?: number } = {},
): Promise<RunResult> {
  const log = join(fleet.out, 'logs', `${String(++runs).padStart(2, '0')}-${name}.log`)
  writeFileSync(log, `$ ${cmd.join(' ')}\n`)
  const started = performance.now()
  // Its own process group (setsid), so a timeout stops ansible and ssh too, not only make.
  const p = Bun.spawn(['setsid', ...cmd], { cwd: ROOT, env: { ...process.env, ...options.env }, stdout: 'pipe', stderr: 'pipe' })
  const timer = setTimeout(() => process.kill(-p.pid, 'SIGTERM'), options.timeoutMs ?? RUN_TIMEOUT_MS)
  let out = ''
  const drain = async (s: ReadableStream<Uint8Array>) => {
    const decoder = new TextDecoder()
    const reader = s.getReader()
    for (let r = await reader.read(); !r.done; r = await reader.read()) {
      const text = decoder.decode(r.value, { stream: true })
      out += text
      appendFileSync(log, text)
    }
  }
  await Promise.all([drain(p.stdout), drain(p.stderr), p.exited])
  clearTimeout(timer)
  return { code: p.exitCode ?? -1, out, seconds: (performance.now() - started) / 1000 }
}

/** The make targets of the repository, as an operator runs them against this fleet. */
export function make(target: string, env: Record<string, string> = {}, name = target): Promise<RunResult> {
  return run(name, ['make', '--no-print-directory', target], {
    env: {
      INVENTORY: fleet.inventory,
      ANSIBLE_VAULT_PASSWORD_FILE: fleet.vaultPasswordFile,
      ANSIBLE_NOCOLOR: '1',
      ANSIBLE_FORCE_COLOR: '0',
      ANSIBLE_CALLBACKS_ENABLED: 'ansible.posix.profile_tasks',
      ...env,
    },
  })
}

/** A playbook run directly (the idempotence check runs site.yml without the lock plays around it). */
export function playbook(name: string, file: string, extra: string[] = []): Promise<RunResult> {
  return run(name, ['ansible-playbook', '-i', fleet.inventory, join(ROOT, 'ansible', file), ...extra], {
    env: {
      ANSIBLE_CONFIG: join(ROOT, 'ansible', 'ansible.cfg'),
      ANSIBLE_VAULT_PASSWORD_FILE: fleet.vaultPasswordFile,
      ANSIBLE_NOCOLOR: '1',
      ANSIBLE_CALLBACKS_ENABLED: 'ansible.posix.profile_tasks',
    },
  })
}

export type Recap = Record<string, { ok: number; changed: number; unreachable: number; failed: number }>

/** Every PLAY RECAP of a run's output, in order. */
export function recaps(out: string): Recap[] {
  return out
    .split('PLAY RECAP')
    .slice(1)
    .map((block) => {
      const recap: Recap = {}
      for (const m of block.matchAll(/^(\S+)\s+: ok=(\d+)\s+changed=(\d+)\s+unreachable=(\d+)\s+failed=(\d+)/gm)) {
        recap[m[1]!] = { ok: Number(m[2]), changed: Number(m[3]), unreachable: Number(m[4]), failed: Number(m[5]) }
      }
      return recap
    })
}

/** Which tasks reported a change (for a readable failure of the idempotence check). */
export function changedTasks(out: string): string[] {
  const changed: string[] = []
  let task = ''
  for (const line of out.split('\n')) {
    const t = /^TASK \[(.*)\]/.exec(line)
    if (t) task = t[1]!
    const c = /^changed: \[([^\]]+)\]/.exec(line)
    if (c) changed.push(`${c[1]}: ${task}`)
  }
  return changed
}

/** A shell script on a host as root; resolves with its exit code and output. */
export async function ssh(host: HostName, script: string, timeoutMs = 120_000): Promise<{ code: number; out: string }> {
  // From /: commands run as postgres (runuser) would warn that they cannot enter /root.
  const p = Bun.spawn(['ssh', '-F', fleet.sshConfig, `root@${fleet.hosts[host]}`, `cd / && ${script}`], { stdout: 'pipe', stderr: 'pipe' })
  const timer = setTimeout(() => p.kill('SIGTERM'), timeoutMs)
  const [out, err] = await Promise.all([new Response(p.stdout).text(), new Response(p.stderr).text(), p.exited])
  clearTimeout(timer)
  return { code: p.exitCode ?? -1, out: out + err }
}

/** Like ssh, but a non-zero exit is an error carrying the output. */
export async function sh(host: HostName, script: string, timeoutMs?: number): Promise<string> {
  const r = await ssh(host, script, timeoutMs)
  if (r.code !== 0) throw new Error(`${host}: \`${script}\` exited ${r.code}:\n${r.out}`)
  return r.out.trim()
}

/** The release each api instance of a host runs (its working directory, resolved at start). */
export async function runningReleases(host: HostName): Promise<string[]> {
  const out = await sh(
    host,
    API_PORTS.map((p) => `readlink /proc/$(systemctl show -p MainPID --value knowledgetree-api@${p})/cwd || echo none`).join('; '),
  )
  return out.split('\n').map((l) => l.trim().split('/').at(-1)!)
}

const figures: { name: string; value: string }[] = []
/** A measured figure of this run: printed at the end and kept in .data/test-deploy/figures.md. */
export function figure(name: string, value: number | string, unit = 's'): void {
  const shown = typeof value === 'number' ? `${Math.round(value * 10) / 10} ${unit}`.trim() : value
  figures.push({ name, value: shown })
  const table = ['| what | measured |', '|---|---|', ...figures.map((f) => `| ${f.name} | ${f.value} |`)].join('\n')
  writeFileSync(join(fleet.out, 'figures.md'), `# make test-deploy, ${new Date().toISOString()}\n\n${table}\n`)
}

/** The output's last lines, for failure messages. */
export const tail = (out: string, lines = 40) => out.trim().split('\n').slice(-lines).join('\n')
