// The shipped monitoring files on their own: promtool checks and unit-tests
// the alert rules; every alert links to a runbook section that exists; the
// dashboards are what ops/grafana/dashboards.ts makes; and the reader that
// finds the metrics a query names (used against a real scrape in
// prometheusScrape.test.ts) reads them right.
import { describe, expect, test } from 'bun:test'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { alertRules, RULES_FILE } from './alertRules.ts'
import { DASHBOARDS, fileOf, render } from './grafana/dashboards.ts'
import { metricNames } from './metricNames.ts'

const OPS = import.meta.dir
const REPO = join(OPS, '..')

function run(cmd: string[]): { code: number; out: string } {
  const p = Bun.spawnSync(cmd, { cwd: OPS, stdout: 'pipe', stderr: 'pipe' })
  return { code: p.exitCode, out: `${p.stdout.toString()}${p.stderr.toString()}` }
}

describe('alert rules', () => {
  test('promtool accepts the rules and the scrape config, and every rule unit test passes', () => {
    for (const cmd of [
      ['promtool', 'check', 'rules', RULES_FILE],
      ['promtool', 'check', 'config', join(OPS, 'prometheus', 'prometheus.yml')],
      ['promtool', 'test', 'rules', join(OPS, 'prometheus', 'tests', 'knowledgetree.test.yml')],
    ]) {
      const { code, out } = run(cmd)
      if (code !== 0) throw new Error(`${cmd.join(' ')}\n${out}`)
    }
  })

  test('every alert is unit-tested and links to a runbook section that exists', () => {
    const tests = readFileSync(join(OPS, 'prometheus', 'tests', 'knowledgetree.test.yml'), 'utf8')
    // GitHub's heading anchors: lower case, spaces to hyphens, punctuation dropped.
    const anchors = new Set(
      [...readFileSync(join(REPO, 'docs', 'TROUBLESHOOTING.md'), 'utf8').matchAll(/^#{2,3} (.+)$/gm)].map((m) =>
        m[1]!
          .toLowerCase()
          .replace(/[^a-z0-9 -]/g, '')
          .replace(/ /g, '-'),
      ),
    )
    expect(alertRules.length).toBeGreaterThanOrEqual(11)
    for (const rule of alertRules) {
      expect(tests).toContain(`alertname: ${rule.alert}`)
      const [file, anchor] = rule.annotations.runbook_url.split('#')
      expect(file).toBe('docs/TROUBLESHOOTING.md')
      expect(anchors.has(anchor!)).toBe(true)
    }
  })
})

test('the dashboards on disk are the ones ops/grafana/dashboards.ts makes (run it after editing)', () => {
  for (const d of DASHBOARDS) expect(readFileSync(fileOf(d), 'utf8')).toBe(render(d))
})

test('the metric-name reader finds exactly the selected metrics', () => {
  expect(
    metricNames('histogram_quantile(0.95, sum by (le, http_route) (rate(http_server_request_duration_bucket{code=~"5.."}[5m])))'),
  ).toEqual(['http_server_request_duration_bucket'])
  expect(
    metricNames('sum by (instance) (pg_stat_activity_count) / on (instance) max by (instance) (pg_settings_max_connections) > 0.8'),
  ).toEqual(['pg_stat_activity_count', 'pg_settings_max_connections'])
})
