// The supervisor's CloudWatch publisher through the real AWS SDK against the
// emulator: what a target-tracking policy reads, and failures that never stop
// the supervisor.
import { afterAll, beforeAll, expect, test } from 'bun:test'
import { createLogger } from '../../server/platform/logger.ts'
import { type CloudWatchEmulator, startCloudWatchEmulator } from '../../testing/cloudwatch/emulator.ts'
import { createCloudWatchPublisher } from './cloudWatch.ts'

let cloudWatch: CloudWatchEmulator
beforeAll(() => {
  cloudWatch = startCloudWatchEmulator()
})
afterAll(() => cloudWatch.stop())

const credentials = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY' }

test('publishes ready jobs and this host’s workers under the namespace, with the group dimension', async () => {
  const publisher = createCloudWatchPublisher(
    { namespace: 'KnowledgeTree', endpoint: cloudWatch.url, region: 'eu-west-1', autoScalingGroup: 'kt-workers', credentials },
    createLogger('error'),
  )
  try {
    expect(await publisher.publish({ desired: 7, running: 6, stopping: 1, ready: 123, active: 12 })).toBe(true)
    const put = cloudWatch.puts.at(-1)!
    expect(put.Namespace).toBe('KnowledgeTree')
    const byName = Object.fromEntries(put.MetricData.map((d) => [d.MetricName, d]))
    expect(byName.ReadyJobs).toMatchObject({
      Value: 123,
      Unit: 'Count',
      Dimensions: [{ Name: 'AutoScalingGroupName', Value: 'kt-workers' }],
    })
    expect(byName.ActiveJobs?.Value).toBe(12)
    expect(byName.WorkersDesired?.Value).toBe(7)
    expect(byName.WorkersRunning?.Value).toBe(6)
    expect(Math.abs(byName.ReadyJobs!.Timestamp! * 1000 - Date.now())).toBeLessThan(600_000)
  } finally {
    publisher.stop()
  }
})

test('an unreadable queue publishes nothing; a failing endpoint is logged once and recovers', async () => {
  const lines: Record<string, unknown>[] = []
  const publisher = createCloudWatchPublisher(
    { namespace: 'KnowledgeTree', endpoint: cloudWatch.url, region: 'eu-west-1', credentials },
    createLogger('info', {}, (l) => lines.push(JSON.parse(l))),
  )
  try {
    const before = cloudWatch.puts.length
    expect(await publisher.publish({ desired: 2, running: 2, stopping: 0, ready: null, active: null })).toBe(false)
    expect(cloudWatch.puts.length).toBe(before)

    cloudWatch.failNext(400)
    expect(await publisher.publish({ desired: 2, running: 2, stopping: 0, ready: 5, active: 0 })).toBe(false)
    cloudWatch.failNext(400)
    expect(await publisher.publish({ desired: 2, running: 2, stopping: 0, ready: 5, active: 0 })).toBe(false)
    expect(lines.filter((l) => l.msg === 'publishing CloudWatch metrics failed; retrying each minute')).toHaveLength(1)
    expect(await publisher.publish({ desired: 2, running: 2, stopping: 0, ready: 5, active: 0 })).toBe(true)
    expect(lines.at(-1)).toMatchObject({ msg: 'CloudWatch metrics published again' })
    expect(cloudWatch.puts.at(-1)!.MetricData[0]!.Dimensions).toBeUndefined()
  } finally {
    publisher.stop()
  }
})

test('the shipped target-tracking policy reads the metric the supervisor publishes, per host', async () => {
  const policy = await Bun.file(new URL('../../ops/aws/worker-target-tracking.json', import.meta.url)).json()
  const metrics = policy.CustomizedMetricSpecification.Metrics as {
    Id: string
    Expression?: string
    ReturnData: boolean
    MetricStat?: { Metric: { Namespace: string; MetricName: string }; Stat: string }
  }[]
  const ready = metrics.find((m) => m.MetricStat?.Metric.MetricName === 'ReadyJobs')!
  // Every host publishes the same fleet-wide figure: Maximum, never Sum.
  expect(ready.MetricStat).toMatchObject({ Metric: { Namespace: 'KnowledgeTree' }, Stat: 'Maximum' })
  const returned = metrics.filter((m) => m.ReturnData)
  expect(returned).toHaveLength(1)
  expect(returned[0]!.Expression).toContain(`${ready.Id} /`)
  expect(policy.TargetValue).toBeGreaterThan(0)
})
