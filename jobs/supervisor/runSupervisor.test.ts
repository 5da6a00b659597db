// The supervisor loop with stand-in worker processes and a scripted backlog:
// what it logs for each decision and what it exports on /metrics.
import { expect, test } from 'bun:test'
import { createLogger } from '../../server/platform/logger.ts'
import { createTelemetry } from '../../server/platform/telemetry.ts'
import { type Backlog, startSupervisor } from './runSupervisor.ts'
import type { WorkerProcesses } from './workerProcesses.ts'

function fakeWorkers(): WorkerProcesses & { died(): void } {
  let running = 0
  let unexpected = 0
  return {
    running: () => running,
    stopping: () => 0,
    list: () => [],
    metricsPorts: () => [],
    scaleTo: (n) => void (running = n),
    stopAll: async () => void (running = 0),
    unexpectedExits: () => unexpected,
    died() {
      running--
      unexpected++
    },
  }
}

const gauge = (text: string, name: string) => Number(text.match(new RegExp(`^${name}(?:\\{[^}]*\\})? (\\S+)$`, 'm'))?.[1])

test('every change of the desired count is logged with its reason and exported; a dead worker is replaced and counted', async () => {
  const lines: Record<string, unknown>[] = []
  const logger = createLogger('info', {}, (line) => lines.push(JSON.parse(line)))
  const telemetry = createTelemetry('supervisor-test')
  const workers = fakeWorkers()
  let backlog: Backlog | Error = { ready: 0, active: 0 }
  let clock = 0
  const supervisor = startSupervisor({
    readBacklog: async () => {
      if (backlog instanceof Error) throw backlog
      return backlog
    },
    workers,
    settings: { min: 2, max: 5, scaleUpAt: 10, cooldownMs: 60_000 },
    checkIntervalMs: 3_600_000, // checks are driven by the test
    logger,
    meter: telemetry.meter,
    now: () => clock,
  })
  try {
    await supervisor.check()
    expect(workers.running()).toBe(2)

    backlog = { ready: 45, active: 4 }
    await supervisor.check()
    expect(workers.running()).toBe(5)
    expect(lines.find((l) => l.msg === 'scaling workers')).toMatchObject({
      action: 'up',
      from: 2,
      to: 5,
      readyJobs: 45,
      reason: '45 ready jobs, 22.5 per worker > 10',
    })
    let metrics = await telemetry.scrape()
    expect(gauge(metrics, 'kt_supervisor_workers_desired')).toBe(5)
    expect(gauge(metrics, 'kt_supervisor_workers_running')).toBe(5)
    expect(gauge(metrics, 'kt_supervisor_ready_jobs')).toBe(45)
    expect(metrics).toMatch(/^kt_supervisor_decisions_total\{action="up",[^}]*\} 1$/m)

    // The database goes away: the workers stay, the failure is logged once.
    backlog = new Error('connection refused')
    await supervisor.check()
    await supervisor.check()
    expect(workers.running()).toBe(5)
    expect(lines.filter((l) => l.msg === 'cannot read the queue depth; keeping the current workers')).toHaveLength(1)

    workers.died()
    backlog = { ready: 0, active: 0 }
    await supervisor.check()
    expect(workers.running()).toBe(5)
    expect(lines.find((l) => l.msg === 'replacing workers that exited')).toMatchObject({ count: 1 })

    // Quiet: nothing before the cooldown, then down to the minimum.
    clock = 30_000
    await supervisor.check()
    expect(workers.running()).toBe(5)
    clock = 100_000
    await supervisor.check()
    expect(workers.running()).toBe(2)
    expect(lines.filter((l) => l.msg === 'scaling workers').at(-1)).toMatchObject({ action: 'down', from: 5, to: 2 })
    metrics = await telemetry.scrape()
    expect(gauge(metrics, 'kt_supervisor_workers_desired')).toBe(2)
    expect(metrics).toMatch(/^kt_supervisor_decisions_total\{action="replace",[^}]*\} 1$/m)
    expect(metrics).toMatch(/^kt_supervisor_decisions_total\{action="down",[^}]*\} 1$/m)
  } finally {
    await supervisor.stop()
    await telemetry.shutdown()
  }
  expect(workers.running()).toBe(0)
})
