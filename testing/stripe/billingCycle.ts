// Period boundaries the way Stripe counts them: monthly and yearly periods keep
// the anchor's day of month (clamped to the month's last day, without drifting
// afterwards), weekly and daily ones are fixed lengths.

export type Recurring = { interval: 'day' | 'week' | 'month' | 'year'; interval_count: number }

const DAY = 86_400

/** The boundary `n` intervals after `anchor` (seconds since the epoch). */
export function boundary(anchor: number, recurring: Recurring, n: number): number {
  const steps = n * recurring.interval_count
  if (recurring.interval === 'day') return anchor + steps * DAY
  if (recurring.interval === 'week') return anchor + steps * 7 * DAY
  const start = new Date(anchor * 1000)
  const months = recurring.interval === 'year' ? steps * 12 : steps
  const year = start.getUTCFullYear()
  const month = start.getUTCMonth() + months
  const lastDay = new Date(Date.UTC(year, month + 1, 0)).getUTCDate()
  const day = Math.min(start.getUTCDate(), lastDay)
  const at = Date.UTC(year, month, day, start.getUTCHours(), start.getUTCMinutes(), start.getUTCSeconds())
  return Math.floor(at / 1000)
}

/** The period that follows the one starting at `periodStart`. */
export function nextPeriod(anchor: number, recurring: Recurring, periodStart: number): { start: number; end: number } {
  let n = 0
  while (boundary(anchor, recurring, n + 1) <= periodStart) n++
  return { start: boundary(anchor, recurring, n + 1), end: boundary(anchor, recurring, n + 2) }
}
