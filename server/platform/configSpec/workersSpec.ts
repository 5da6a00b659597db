// Configuration of the worker supervisor: how many worker processes it keeps,
// when it scales them, and the queue metrics it publishes (its own /metrics,
// CloudWatch for an Auto Scaling policy).
import { int, num, str, url, type Spec } from './parsers.ts'

export const workersSpec = {
  WORKERS_MIN: {
    description: 'Worker processes the supervisor (`bun jobs/supervisor.ts`) always keeps running on a host.',
    allowed: 'an integer from 1 to 200',
    parse: int(1, 200),
    default: 2,
  },
  WORKERS_MAX: {
    description:
      'Most worker processes the supervisor starts on a host (mind the connection budget: each worker holds `WORKER_CONCURRENCY` + 5 connections).',
    allowed: 'an integer from 1 to 200',
    parse: int(1, 200),
    default: 20,
  },
  WORKERS_SCALE_UP_AT: {
    description: 'The supervisor adds workers when ready jobs per worker exceed this (up to one worker per this many ready jobs).',
    allowed: 'an integer from 1 to 100000',
    parse: int(1, 100_000),
    default: 10,
  },
  WORKERS_COOLDOWN_SECONDS: {
    description:
      'The supervisor removes workers only after the backlog has been below half the scale-up level for this long (and this long after the last scale-up).',
    allowed: 'an integer from 0 to 86400',
    parse: int(0, 86_400),
    default: 300,
  },
  WORKERS_CHECK_SECONDS: {
    description: 'How often the supervisor reads the queue depth and decides.',
    allowed: 'a number from 0.2 to 300',
    parse: num(0.2, 300),
    default: 5,
  },
  SUPERVISOR_METRICS_PORT: {
    description:
      'Port the supervisor serves its /metrics on (desired and running workers, ready jobs, decisions; on `METRICS_HOST`). Its workers get `WORKER_METRICS_PORT` + slot when that is set. Unset: no metrics.',
    allowed: 'an integer from 0 to 65535',
    parse: int(0, 65535),
    optional: true,
  },
  CLOUDWATCH_NAMESPACE: {
    description:
      'Set: every worker supervisor publishes the queue depth (`ReadyJobs`, `ActiveJobs`) and its workers (`WorkersDesired`, `WorkersRunning`) to CloudWatch under this namespace once a minute, for an EC2 Auto Scaling target-tracking policy (docs/SCALING.md). Credentials: the AWS SDK’s chain (the instance role). Unset: nothing is published.',
    allowed: 'a CloudWatch namespace, e.g. KnowledgeTree',
    parse: str,
    optional: true,
  },
  CLOUDWATCH_ENDPOINT: {
    description: 'CloudWatch endpoint URL (a VPC endpoint). Unset: the SDK’s default for the region.',
    allowed: 'an http(s) URL',
    parse: url,
    optional: true,
  },
  CLOUDWATCH_REGION: {
    description: 'AWS region for CloudWatch. Unset: the SDK’s chain (`AWS_REGION`, the instance metadata).',
    allowed: 'an AWS region, e.g. eu-west-1',
    parse: str,
    optional: true,
  },
  CLOUDWATCH_AUTOSCALING_GROUP: {
    description: 'Adds the dimension `AutoScalingGroupName` with this value to the published metrics (the group the policy scales).',
    allowed: 'an Auto Scaling group name',
    parse: str,
    optional: true,
  },
} satisfies Record<string, Spec<unknown>>
