// Usage headers on metered answers, in the spirit of RateLimit headers: how
// many messages the plan allows, how many are left, and when the count resets.
import type { QuotaUsage } from './quotaGate.ts'

export function setUsageHeaders(headers: Headers, usage: QuotaUsage): void {
  if (usage.limit !== null) headers.set('x-usage-messages-limit', String(usage.limit))
  if (usage.remaining !== null) headers.set('x-usage-messages-remaining', String(usage.remaining))
  headers.set('x-usage-messages-used', String(usage.used))
  if (usage.resetsAt) headers.set('x-usage-resets-at', usage.resetsAt)
}
