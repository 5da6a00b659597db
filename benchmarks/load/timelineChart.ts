// A load run's timeline as one SVG (Vega-Lite, rendered headless by Vega):
// throughput and p95 latency over time, and the worker count beside the queue
// depth it scales on. The load test writes one per run next to RESULTS.md and
// links it from its section.
import { mkdirSync, writeFileSync } from 'node:fs'
import { dirname } from 'node:path'
import { parse, View } from 'vega'
import { compile, type TopLevelSpec } from 'vega-lite'

export type TimelinePoint = { t: number; rps: number; p95: number; depth: number; active: number; workers: number }

const WIDTH = 640
const HEIGHT = 140

function spec(title: string, points: readonly TimelinePoint[], steadyFrom: number): TopLevelSpec {
  const x = { field: 't', type: 'quantitative' as const, title: 'seconds since the first user' }
  const steady = { mark: { type: 'rule' as const, strokeDash: [4, 4], color: '#888' }, encoding: { x: { datum: steadyFrom } } }
  const series = (fields: Record<string, string>) => ({
    transform: [{ fold: Object.keys(fields), as: ['key', 'value'] as [string, string] }],
    mark: { type: 'line' as const, interpolate: 'step-after' as const },
    encoding: {
      x,
      y: { field: 'value', type: 'quantitative' as const, title: null },
      color: {
        field: 'key',
        type: 'nominal' as const,
        title: null,
        scale: { domain: Object.keys(fields) },
        legend: { labelExpr: `(${JSON.stringify(fields)})[datum.label]`, orient: 'right' as const },
      },
    },
  })
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title,
    // Windows with no finished request have no p95 (NaN): left out of that line.
    data: { values: points.map((p) => ({ ...p, p95: Number.isFinite(p.p95) ? p.p95 : null })) },
    vconcat: [
      {
        title: { text: 'requests finished per second (2 s windows)', fontSize: 11, anchor: 'start' },
        width: WIDTH,
        height: HEIGHT,
        layer: [{ mark: 'line', encoding: { x, y: { field: 'rps', type: 'quantitative', title: 'req/s' } } }, steady],
      },
      {
        title: { text: 'p95 latency of those requests, answers excluded (ms)', fontSize: 11, anchor: 'start' },
        width: WIDTH,
        height: HEIGHT,
        layer: [
          { mark: 'line', encoding: { x, y: { field: 'p95', type: 'quantitative', title: 'ms' } } },
          { mark: { type: 'rule', color: '#c00' }, encoding: { y: { datum: 500 } } },
          steady,
        ],
      },
      {
        title: { text: 'workers against the queue depth they scale on', fontSize: 11, anchor: 'start' },
        width: WIDTH,
        height: HEIGHT,
        layer: [series({ workers: 'workers', depth: 'ready jobs', active: 'active jobs' }), steady],
      },
    ],
    config: { font: 'sans-serif', view: { stroke: '#ddd' } },
  }
}

/** Renders the timeline to `path` (an .svg file); the dashed line marks where steady state begins, the red one the 500 ms SLO. */
export async function writeTimelineSvg(path: string, title: string, points: readonly TimelinePoint[], steadyFrom: number): Promise<void> {
  const view = new View(parse(compile(spec(title, points, steadyFrom)).spec), { renderer: 'none' })
  const svg = await view.toSVG()
  view.finalize()
  mkdirSync(dirname(path), { recursive: true })
  writeFileSync(path, svg)
}
