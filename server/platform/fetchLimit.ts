// Bun's fetch lets one process have 256 requests in flight unless
// BUN_CONFIG_MAX_HTTP_REQUESTS says otherwise, and reads that once, when the
// process starts (setting it from code does nothing). Past the limit a
// response's headers arrive but its body waits for a slot. An answer streams
// from the model over one fetch for its whole length, so without the setting
// the 257th answer open in an api process got no token until another answer
// ended: at 25 questions/s with 40 s answers, time to first token grew to
// 75 s (benchmarks/chat-sse/README.md). The systemd units, `make dev`/`make
// start` and the benchmarks start every process with the limit raised; a
// process started without it says so in its log.

export const FETCH_LIMIT_VARIABLE = 'BUN_CONFIG_MAX_HTTP_REQUESTS'
/** What the units and scripts set: well above the streams one process can relay. */
export const FETCH_LIMIT = 8192
const BUN_DEFAULT = 256
/** Below this a busy api would queue answers behind each other. */
const ENOUGH = 2048

/** The limit this process runs with. */
export function fetchLimit(env: Record<string, string | undefined> = process.env): number {
  const value = Number(env[FETCH_LIMIT_VARIABLE])
  return Number.isInteger(value) && value > 0 ? value : BUN_DEFAULT
}

/** A warning for the start-up log when the limit would hold answers back, else null. */
export function fetchLimitWarning(
  env: Record<string, string | undefined> = process.env,
): { message: string; limit: number; fix: string } | null {
  const limit = fetchLimit(env)
  if (limit >= ENOUGH) return null
  return {
    message: 'outgoing requests are capped low: answers beyond the cap get no token until another answer ends',
    limit,
    fix: `start the process with ${FETCH_LIMIT_VARIABLE}=${FETCH_LIMIT} (the systemd units and make targets do)`,
  }
}
