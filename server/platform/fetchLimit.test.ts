import { describe, expect, test } from 'bun:test'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { FETCH_LIMIT, FETCH_LIMIT_VARIABLE, fetchLimit, fetchLimitWarning } from './fetchLimit.ts'

const REPO = join(import.meta.dir, '..', '..')
const STREAMS = 300

/** Streams of STREAMS that a fresh Bun process with `env` reads at once. */
async function flowingStreams(env: Record<string, string>): Promise<number> {
  const { PATH, HOME } = process.env
  const child = Bun.spawn([process.execPath, join(REPO, 'testing', 'fetchSlots.ts'), String(STREAMS), '4000'], {
    env: { PATH: PATH ?? '', HOME: HOME ?? '/tmp', ...env },
    stdout: 'pipe',
  })
  const out = await new Response(child.stdout).text()
  expect(await child.exited).toBe(0)
  return (JSON.parse(out) as { flowing: number }).flowing
}

describe("Bun's limit on fetches in flight", () => {
  test('without the setting a process reads only 256 streamed responses at once; the rest get no byte', async () => {
    expect(await flowingStreams({})).toBe(256)
  })

  test('with the setting the units and scripts give, every stream flows', async () => {
    expect(await flowingStreams({ [FETCH_LIMIT_VARIABLE]: String(FETCH_LIMIT) })).toBe(STREAMS)
  })

  test('every way the product starts a process sets it', () => {
    const setting = `${FETCH_LIMIT_VARIABLE}=${FETCH_LIMIT}`
    for (const unit of ['knowledgetree-api@.service.j2', 'knowledgetree-worker@.service.j2', 'knowledgetree-workers.service.j2'])
      expect(readFileSync(join(REPO, 'ansible', 'roles', 'app', 'templates', unit), 'utf8')).toContain(`\nEnvironment=${setting}\n`)
    const makefile = readFileSync(join(REPO, 'Makefile'), 'utf8')
    expect(makefile).toContain(`FETCH_LIMIT := ${setting}\n`)
    for (const target of ['server/main.ts', 'jobs/main.ts', 'jobs/supervisor.ts'])
      expect(makefile).toContain(`$(FETCH_LIMIT) $(BUN) ${target}`)
  })

  test('the api warns at start-up when the limit would hold answers back', () => {
    expect(fetchLimit({})).toBe(256)
    expect(fetchLimitWarning({})).toMatchObject({ limit: 256 })
    expect(fetchLimitWarning({ [FETCH_LIMIT_VARIABLE]: 'lots' })).toMatchObject({ limit: 256 })
    expect(fetchLimitWarning({ [FETCH_LIMIT_VARIABLE]: '512' })).toMatchObject({ limit: 512 })
    expect(fetchLimitWarning({ [FETCH_LIMIT_VARIABLE]: String(FETCH_LIMIT) })).toBeNull()
  })
})
