// When the worker supervisor adds or removes worker processes. A pure function
// of the backlog and the time, so every rule is testable without processes:
// - up at once when ready jobs per worker exceed `scaleUpAt`, straight to one
//   worker per `scaleUpAt` ready jobs (a backlog should not wait out steps);
// - down only when the smaller fleet would still stay below half that level
//   (hysteresis: a backlog hovering at the threshold does not flap), and only
//   once that has held for `cooldownMs` and the last scale-up is as old;
// - always within min..max.

export type ScalingSettings = { min: number; max: number; scaleUpAt: number; cooldownMs: number }
/** What the policy remembers between checks. */
export type ScalingMemory = { lowSince: number | null; lastUpAt: number | null }
export type ScalingDecision = { action: 'up' | 'down' | 'hold'; desired: number; reason: string; memory: ScalingMemory }

export const initialMemory = (): ScalingMemory => ({ lowSince: null, lastUpAt: null })

export function decideWorkers(current: number, ready: number, now: number, memory: ScalingMemory, s: ScalingSettings): ScalingDecision {
  const clamp = (n: number) => Math.min(s.max, Math.max(s.min, n))
  const perWorker = current > 0 ? ready / current : ready
  const round = (n: number) => Math.round(n * 10) / 10
  if (current < s.min)
    return { action: 'up', desired: s.min, reason: `below the minimum of ${s.min}`, memory: { lowSince: null, lastUpAt: now } }
  if (current > s.max)
    return { action: 'down', desired: s.max, reason: `above the maximum of ${s.max}`, memory: { ...memory, lowSince: null } }

  if (perWorker > s.scaleUpAt) {
    const wanted = clamp(Math.ceil(ready / s.scaleUpAt))
    if (wanted > current)
      return {
        action: 'up',
        desired: wanted,
        reason: `${ready} ready jobs, ${round(perWorker)} per worker > ${s.scaleUpAt}`,
        memory: { lowSince: null, lastUpAt: now },
      }
    return {
      action: 'hold',
      desired: current,
      reason: `${ready} ready jobs, at the maximum of ${s.max}`,
      memory: { ...memory, lowSince: null },
    }
  }

  const enough = clamp(Math.ceil(ready / (s.scaleUpAt / 2)))
  if (enough >= current) return { action: 'hold', desired: current, reason: `${ready} ready jobs`, memory: { ...memory, lowSince: null } }
  const lowSince = memory.lowSince ?? now
  const quietFor = now - lowSince
  const sinceUp = memory.lastUpAt === null ? Infinity : now - memory.lastUpAt
  if (quietFor >= s.cooldownMs && sinceUp >= s.cooldownMs)
    return {
      action: 'down',
      desired: enough,
      reason: `${ready} ready jobs for ${Math.round(quietFor / 1000)} s: ${enough} workers stay below ${s.scaleUpAt / 2} per worker`,
      memory: { lowSince: null, lastUpAt: memory.lastUpAt },
    }
  return {
    action: 'hold',
    desired: current,
    reason: `${ready} ready jobs; cooling down (${Math.round(Math.min(quietFor, sinceUp) / 1000)} of ${Math.round(s.cooldownMs / 1000)} s)`,
    memory: { ...memory, lowSince },
  }
}
