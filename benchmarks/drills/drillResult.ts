// What a fault drill reports: PASS or FAIL, the counts it judged by, and the
// checks that failed. `make drills` prints one line per drill.
export type DrillResult = { name: string; pass: boolean; counts: Record<string, number | string>; failures: string[] }

/** Collects named checks; the drill passes when every check held. */
export function drillReport(name: string) {
  const counts: Record<string, number | string> = {}
  const failures: string[] = []
  return {
    count(key: string, value: number | string) {
      counts[key] = value
    },
    check(ok: boolean, what: string) {
      if (!ok) failures.push(what)
    },
    result: (): DrillResult => ({ name, pass: failures.length === 0, counts, failures }),
  }
}

export function formatDrill(r: DrillResult): string {
  const counts = Object.entries(r.counts)
    .map(([k, v]) => `${k}=${v}`)
    .join(' ')
  return `${r.pass ? 'PASS' : 'FAIL'} ${r.name}: ${counts}${r.failures.length ? `\n  failed: ${r.failures.join('\n  failed: ')}` : ''}`
}
