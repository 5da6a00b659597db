// Metrics of the worker: every job's duration and outcome by queue, and each
// video's whole processing time (upload to ready or failed) by source type,
// with the reason when it failed.
import { createNoopMeter, type Meter } from '@opentelemetry/api'

export type VideoOutcome = { sourceType: string; outcome: 'ready' | 'failed'; reason?: string; createdAt: Date }
export type WorkerMetrics = {
  job(queue: string, outcome: 'completed' | 'failed', seconds: number): void
  video(outcome: VideoOutcome): void
}

export function createWorkerMetrics(meter: Meter = createNoopMeter()): WorkerMetrics {
  const jobs = meter.createHistogram('kt.job.duration', {
    unit: 's',
    description: 'Time one job attempt took, by queue and outcome (completed, failed).',
    advice: { explicitBucketBoundaries: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 900, 3600] },
  })
  const videos = meter.createHistogram('kt.video.processing.duration', {
    unit: 's',
    description: 'From adding a video to it being ready or failed, by source type and outcome.',
    advice: { explicitBucketBoundaries: [1, 5, 10, 30, 60, 120, 300, 600, 1800, 3600, 7200] },
  })
  const failures = meter.createCounter('kt.video.failures', {
    unit: '{video}',
    description: 'Videos that failed, by source type and reason (the error code shown to the user).',
  })
  return {
    job: (queue, outcome, seconds) => jobs.record(seconds, { queue, outcome }),
    video(o) {
      videos.record(Math.max(0, (Date.now() - o.createdAt.getTime()) / 1000), { source_type: o.sourceType, outcome: o.outcome })
      if (o.outcome === 'failed') failures.add(1, { source_type: o.sourceType, reason: o.reason ?? 'unexpected' })
    },
  }
}
