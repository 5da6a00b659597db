// Queue depth as a CloudWatch custom metric, for an EC2 Auto Scaling group's
// target-tracking policy (docs/SCALING.md, ops/aws/): every host's supervisor
// publishes the fleet-wide ready jobs and its own worker counts once a minute.
// Off unless CLOUDWATCH_NAMESPACE is set. Credentials and region come from the
// SDK's usual chain (the instance role on EC2); CLOUDWATCH_ENDPOINT points it
// elsewhere (a VPC endpoint, or the emulator in tests).
import { CloudWatchClient, PutMetricDataCommand, type StandardUnit } from '@aws-sdk/client-cloudwatch'
import type { Logger } from '../../server/platform/logger.ts'
import type { SupervisorState } from './runSupervisor.ts'

export type CloudWatchSettings = {
  namespace: string
  endpoint?: string
  region?: string
  autoScalingGroup?: string
  /** Tests only: production uses the SDK's credential chain. */
  credentials?: { accessKeyId: string; secretAccessKey: string }
}

export type DepthPublisher = {
  /** Sends one sample; failures are logged (once until it works again), never thrown. */
  publish(state: SupervisorState): Promise<boolean>
  stop(): void
}

export const PUBLISH_INTERVAL_MS = 60_000

export function createCloudWatchPublisher(settings: CloudWatchSettings, logger: Logger): DepthPublisher {
  const client = new CloudWatchClient({
    ...(settings.endpoint ? { endpoint: settings.endpoint } : {}),
    ...(settings.region ? { region: settings.region } : {}),
    ...(settings.credentials ? { credentials: settings.credentials } : {}),
    maxAttempts: 2,
  })
  // ReadyJobs is the same figure from every host (it is read from the shared
  // queue): a policy takes its Maximum. The group dimension lets one account
  // hold several fleets.
  const dimensions = settings.autoScalingGroup ? [{ Name: 'AutoScalingGroupName', Value: settings.autoScalingGroup }] : undefined
  let failing = false
  return {
    async publish(state) {
      if (state.ready === null) return false // the queue could not be read: no made-up zero
      const datum = (name: string, value: number, unit: StandardUnit) => ({
        MetricName: name,
        Value: value,
        Unit: unit,
        Timestamp: new Date(),
        Dimensions: dimensions,
      })
      try {
        await client.send(
          new PutMetricDataCommand({
            Namespace: settings.namespace,
            MetricData: [
              datum('ReadyJobs', state.ready, 'Count'),
              datum('ActiveJobs', state.active ?? 0, 'Count'),
              datum('WorkersDesired', state.desired, 'Count'),
              datum('WorkersRunning', state.running, 'Count'),
            ],
          }),
        )
        if (failing) logger.info('CloudWatch metrics published again')
        failing = false
        return true
      } catch (err) {
        if (!failing) logger.warn('publishing CloudWatch metrics failed; retrying each minute', { err, namespace: settings.namespace })
        failing = true
        return false
      }
    },
    stop: () => client.destroy(),
  }
}
