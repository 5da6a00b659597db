// Runs the OpenAI embeddings + transcription emulator on its own, for manual dev
// and benchmarks. The first line of stdout is the base URL (ending in /v1), so
// scripts can capture it; everything else goes to stderr.

import { parseArgs } from 'node:util'
import { numberArgOf } from '../cliNumbers'
import { startOpenAiEmulator } from './emulator'

const USAGE = `usage: bun testing/openai/cli.ts [options]
  --port <n>               port to listen on (default 4020; 0 picks a free one)
  --host <address>         address to bind (default 127.0.0.1)
  --api-key <key>          accept only this key (repeatable; default: any key)
  --no-auth                accept requests without a key, like a self-hosted server
  --dimensions <n>         vector size for models it does not know (default 1536)
  --max-inputs <n>         inputs per embeddings request (default 2048)
  --max-file-bytes <n>     uploads above this get 413 (default 26214400)
  --segment-seconds <s>    length of generated transcript segments (default 5)
  --help`

const { values: args } = parseArgs({
  options: {
    port: { type: 'string', default: '4020' },
    host: { type: 'string', default: '127.0.0.1' },
    'api-key': { type: 'string', multiple: true },
    'no-auth': { type: 'boolean', default: false },
    dimensions: { type: 'string' },
    'max-inputs': { type: 'string' },
    'max-file-bytes': { type: 'string' },
    'segment-seconds': { type: 'string' },
    help: { type: 'boolean', default: false },
  },
})

if (args.help) {
  console.error(USAGE)
  process.exit(0)
}

const numberArg = numberArgOf(USAGE)

const emulator = await startOpenAiEmulator({
  port: numberArg('port', args.port),
  hostname: args.host,
  apiKeys: args['api-key'],
  requireApiKey: !args['no-auth'],
  defaultDimensions: numberArg('dimensions', args.dimensions),
  maxInputsPerRequest: numberArg('max-inputs', args['max-inputs']),
  maxFileBytes: numberArg('max-file-bytes', args['max-file-bytes']),
  segmentSeconds: numberArg('segment-seconds', args['segment-seconds']),
})
console.log(emulator.url)
console.error(`OpenAI emulator: POST ${emulator.url}/embeddings, POST ${emulator.url}/audio/transcriptions`)

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => void emulator.stop().then(() => process.exit(0)))
}
