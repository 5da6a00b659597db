// The worker processes one supervisor runs: `bun jobs/main.ts` children in
// numbered slots. Removing a worker sends it SIGTERM: it stops fetching, lets
// its running jobs finish within SHUTDOWN_TIMEOUT_MS and hands back (fails for
// a retry) whatever is still running then; only a worker that outlives that
// (plus a margin) is killed. A worker that dies on its own leaves its slot
// empty for the supervisor's next check to fill.
import { join } from 'node:path'
import type { Subprocess } from 'bun'
import type { Logger } from '../../server/platform/logger.ts'

export type WorkerSlot = { slot: number; pid: number; startedAt: number; stopping: boolean }

export type WorkerProcesses = {
  /** Workers running and not asked to stop. */
  running(): number
  /** Workers asked to stop that have not exited yet (finishing their jobs). */
  stopping(): number
  list(): WorkerSlot[]
  /** The WORKER_METRICS_PORT of every worker alive (stopping ones too: they serve until they exit); none without a fixed base. */
  metricsPorts(): number[]
  /** Starts or stops workers until `running()` is n (stops the newest first). */
  scaleTo(n: number): void
  /** Stops every worker and waits for them (bounded). */
  stopAll(): Promise<void>
  /** Workers that exited without being asked, since start. */
  unexpectedExits(): number
}

export type WorkerProcessOptions = {
  logger: Logger
  /** Environment of every worker (the supervisor's own, usually). */
  env: Record<string, string | undefined>
  /** Workers get WORKER_METRICS_PORT = base + slot when set. */
  metricsPortBase?: number
  shutdownTimeoutMs: number
  /** What to run; default `bun jobs/main.ts`. */
  command?: string[]
}

type Child = WorkerSlot & { proc: Subprocess; exited: Promise<number> }

const WORKER_ENTRY = join(import.meta.dir, '..', 'main.ts')
const KILL_MARGIN_MS = 10_000

export function createWorkerProcesses(options: WorkerProcessOptions): WorkerProcesses {
  const children = new Map<number, Child>()
  let unexpected = 0
  const command = options.command ?? [process.execPath, WORKER_ENTRY]

  // Port 0 (any free port) stays 0 for every worker; a fixed base gives each slot its own.
  const portOf = (slot: number) => (options.metricsPortBase ? options.metricsPortBase + slot : options.metricsPortBase)

  const freeSlot = () => {
    let slot = 1
    while (children.has(slot)) slot++
    return slot
  }

  const start = () => {
    const slot = freeSlot()
    const env: Record<string, string | undefined> = { ...options.env, KT_WORKER_SLOT: String(slot) }
    const port = portOf(slot)
    if (port !== undefined) env.WORKER_METRICS_PORT = String(port)
    const proc = Bun.spawn(command, { env, stdio: ['ignore', 'inherit', 'inherit'] })
    const child: Child = { slot, pid: proc.pid, startedAt: Date.now(), stopping: false, proc, exited: proc.exited }
    children.set(slot, child)
    options.logger.info('worker started', { slot, pid: proc.pid })
    void proc.exited.then((code) => {
      children.delete(slot)
      if (child.stopping) options.logger.info('worker stopped', { slot, pid: proc.pid, code })
      else {
        unexpected++
        options.logger.warn('worker exited unexpectedly; the next check replaces it', {
          slot,
          pid: proc.pid,
          code,
          signal: proc.signalCode,
        })
      }
    })
  }

  const stop = (child: Child) => {
    child.stopping = true
    child.proc.kill('SIGTERM')
    const timer = setTimeout(() => {
      if (child.proc.exitCode === null && child.proc.signalCode === null) {
        options.logger.warn('worker did not stop in time; killing it', { slot: child.slot, pid: child.pid })
        child.proc.kill('SIGKILL')
      }
    }, options.shutdownTimeoutMs + KILL_MARGIN_MS)
    void child.exited.finally(() => clearTimeout(timer))
  }

  const active = () => [...children.values()].filter((c) => !c.stopping)

  return {
    running: () => active().length,
    stopping: () => [...children.values()].filter((c) => c.stopping).length,
    list: () => [...children.values()].map(({ slot, pid, startedAt, stopping }) => ({ slot, pid, startedAt, stopping })),
    metricsPorts: () => (options.metricsPortBase ? [...children.keys()].sort((a, b) => a - b).map((slot) => portOf(slot)!) : []),
    scaleTo(n) {
      for (let missing = n - active().length; missing > 0; missing--) start()
      const newestFirst = active().sort((a, b) => b.slot - a.slot)
      for (const child of newestFirst.slice(0, Math.max(0, newestFirst.length - n))) stop(child)
    },
    async stopAll() {
      for (const child of active()) stop(child)
      await Promise.all([...children.values()].map((c) => c.exited))
    },
    unexpectedExits: () => unexpected,
  }
}
