// Runs the rerank emulator on its own, for manual dev and benchmarks. The
// first line of stdout is the base URL (TEI's /rerank hangs off it; Cohere-
// style clients append /v2); everything else goes to stderr.
import { parseArgs } from 'node:util'
import { numberArgOf } from '../cliNumbers'
import { startRerankEmulator } from './emulator'

const USAGE = `usage: bun testing/rerank/cli.ts [options]
  --port <n>            port to listen on (default 4030; 0 picks a free one)
  --host <address>      address to bind (default 127.0.0.1)
  --api-key <key>       require Authorization: Bearer <key>
  --max-documents <n>   documents per request (default 32, TEI's default)
  --help`

const { values: args } = parseArgs({
  options: {
    port: { type: 'string', default: '4030' },
    host: { type: 'string', default: '127.0.0.1' },
    'api-key': { type: 'string' },
    'max-documents': { type: 'string' },
    help: { type: 'boolean', default: false },
  },
})
if (args.help) {
  console.error(USAGE)
  process.exit(0)
}
const numberArg = numberArgOf(USAGE)
const emulator = await startRerankEmulator({
  port: numberArg('port', args.port),
  hostname: args.host,
  apiKey: args['api-key'],
  maxDocuments: numberArg('max-documents', args['max-documents']),
})
console.log(emulator.url)
console.error(`rerank emulator: POST ${emulator.url}/rerank (TEI), POST ${emulator.url}/v1/rerank and /v2/rerank (Jina, Cohere)`)
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => void emulator.stop().then(() => process.exit(0)))
