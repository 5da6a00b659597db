// The supervisor's loop: every check, read the backlog, decide (scalingPolicy),
// start or stop workers, log every change and export what it saw and did.
// While the database cannot be read it keeps the workers it has.
import type { Meter } from '@opentelemetry/api'
import type { Logger } from '../../server/platform/logger.ts'
import { decideWorkers, initialMemory, type ScalingSettings } from './scalingPolicy.ts'
import type { WorkerProcesses } from './workerProcesses.ts'

export type Backlog = { ready: number; active: number }
export type SupervisorState = { desired: number; running: number; stopping: number; ready: number | null; active: number | null }

export type Supervisor = {
  state(): SupervisorState
  /** One check now (the loop calls this every interval). */
  check(): Promise<void>
  /** Stops the loop and every worker. */
  stop(): Promise<void>
}

export function startSupervisor(options: {
  readBacklog: () => Promise<Backlog>
  workers: WorkerProcesses
  settings: ScalingSettings
  checkIntervalMs: number
  logger: Logger
  meter?: Meter
  now?: () => number
}): Supervisor {
  const { workers, settings, logger } = options
  const now = options.now ?? Date.now
  let memory = initialMemory()
  let desired = settings.min
  let backlog: Backlog | null = null
  let readFailing = false
  let checking: Promise<void> | null = null
  let stopped = false
  let replaced = 0

  const decisions = options.meter?.createCounter('kt.supervisor.decisions', {
    unit: '{decision}',
    description:
      'Scaling decisions that changed the desired worker count (action: up, down), and replacements of workers that died (action: replace).',
  })
  if (options.meter) {
    const gauge = (name: string, unit: string, description: string) => options.meter!.createObservableGauge(name, { unit, description })
    const desiredGauge = gauge('kt.supervisor.workers.desired', '{process}', 'Worker processes the supervisor wants running on this host.')
    const runningGauge = gauge(
      'kt.supervisor.workers.running',
      '{process}',
      'Worker processes running (not counting ones finishing their jobs before they stop).',
    )
    const stoppingGauge = gauge(
      'kt.supervisor.workers.stopping',
      '{process}',
      'Worker processes asked to stop, finishing or handing back their jobs.',
    )
    const readyGauge = gauge('kt.supervisor.ready_jobs', '{job}', 'Ready jobs (due, not running) over every work queue at the last check.')
    options.meter.addBatchObservableCallback(
      (r) => {
        r.observe(desiredGauge, desired)
        r.observe(runningGauge, workers.running())
        r.observe(stoppingGauge, workers.stopping())
        if (backlog) r.observe(readyGauge, backlog.ready)
      },
      [desiredGauge, runningGauge, stoppingGauge, readyGauge],
    )
  }

  const checkOnce = async () => {
    try {
      backlog = await options.readBacklog()
      if (readFailing) logger.info('queue depth readable again')
      readFailing = false
    } catch (err) {
      if (!readFailing) logger.warn('cannot read the queue depth; keeping the current workers', { err })
      readFailing = true
      backlog = null
    }
    const running = workers.running()
    if (backlog) {
      const decision = decideWorkers(desired, backlog.ready, now(), memory, settings)
      memory = decision.memory
      if (decision.desired !== desired) {
        logger.info('scaling workers', {
          action: decision.action,
          from: desired,
          to: decision.desired,
          readyJobs: backlog.ready,
          activeJobs: backlog.active,
          running,
          reason: decision.reason,
        })
        decisions?.add(1, { action: decision.action })
        desired = decision.desired
      }
    }
    if (running < desired && !stopped) {
      const replacing = Math.min(desired - running, Math.max(0, workers.unexpectedExits() - replaced))
      if (replacing > 0) {
        logger.info('replacing workers that exited', { count: replacing })
        decisions?.add(replacing, { action: 'replace' })
        replaced += replacing
      }
    }
    if (!stopped) workers.scaleTo(desired)
  }
  const check = () => (checking ??= checkOnce().finally(() => (checking = null)))
  const timer = setInterval(() => void check(), options.checkIntervalMs)
  void check()

  return {
    state: () => ({
      desired,
      running: workers.running(),
      stopping: workers.stopping(),
      ready: backlog?.ready ?? null,
      active: backlog?.active ?? null,
    }),
    check,
    async stop() {
      stopped = true
      clearInterval(timer)
      await checking
      logger.info('supervisor stopping; workers finish their jobs', { running: workers.running() })
      await workers.stopAll()
    },
  }
}
