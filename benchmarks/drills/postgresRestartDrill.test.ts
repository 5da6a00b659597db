// Drill 1 in the test suite: Postgres stops for 10 s under chat and upload
// load (a cluster of its own) and starts again. The api answers 503 +
// Retry-After meanwhile, never exits (postgres.js's close race is patched:
// patches/README.md), recovers, and every upload and answer settles.
import { expect, test } from 'bun:test'
import { formatDrill } from './drillResult.ts'
import { postgresRestartDrill } from './postgresRestartDrill.ts'

test('Postgres restarted under load: 503 + Retry-After while down, no process exit, nothing lost', async () => {
  const result = await postgresRestartDrill({ downSeconds: 10, clients: 12 })
  console.log(formatDrill(result))
  expect(formatDrill(result)).toStartWith('PASS')
}, 400_000)
