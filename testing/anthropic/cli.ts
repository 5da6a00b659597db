// Runs the Anthropic Messages-API emulator on its own, for benchmarks and for
// trying the chat without a real key. The first line of stdout is the base URL
// (so scripts can capture it); everything else goes to stderr. Defaults pace
// answers like a real model, unlike the library's, which favour fast tests.

import { parseArgs } from 'node:util'
import { numberArgOf } from '../cliNumbers'
import { startAnthropicEmulator } from './emulator'
import { DEFAULT_SCRIPT, type Script, type ScriptedFailure } from './script'

const USAGE = `usage: bun testing/anthropic/cli.ts [options]
  --port <n>                   port to listen on (default 4010; 0 picks a free one)
  --host <address>             address to bind (default 127.0.0.1)
  --ttft-ms <ms>               delay before the first token (default 400)
  --tokens-per-second <n>      pace after the first token (default 50)
  --answer <text>              the answer to every request
  --answer-file <path>         read the answer from a file (wins over --answer)
  --short-answer <text>        the answer to requests that do not stream (a model
                               call the product makes for itself, such as
                               rewriting a follow-up into a search query; default:
                               the answer)
  --fail-first <n>             fail the first n requests before any token
  --fail-status <429|500|529>  status for --fail-first (default 529)
  --fail-after-tokens <n>      end every stream with an overloaded_error after n tokens
  --api-key <key>              accept only this key (repeatable; default: any key)
  --help`

const { values: args } = parseArgs({
  options: {
    port: { type: 'string', default: '4010' },
    host: { type: 'string', default: '127.0.0.1' },
    'ttft-ms': { type: 'string', default: '400' },
    'tokens-per-second': { type: 'string', default: '50' },
    answer: { type: 'string' },
    'answer-file': { type: 'string' },
    'short-answer': { type: 'string' },
    'fail-first': { type: 'string' },
    'fail-status': { type: 'string', default: '529' },
    'fail-after-tokens': { type: 'string' },
    'api-key': { type: 'string', multiple: true },
    help: { type: 'boolean', default: false },
  },
})

if (args.help) {
  console.error(USAGE)
  process.exit(0)
}

const numberArg = numberArgOf(USAGE)

const failStatus = numberArg('fail-status', args['fail-status'])
if (failStatus !== 429 && failStatus !== 500 && failStatus !== 529) {
  console.error(`--fail-status must be 429, 500 or 529\n\n${USAGE}`)
  process.exit(2)
}
const failFirst = numberArg('fail-first', args['fail-first'])
const failure: ScriptedFailure | undefined = failFirst ? { status: failStatus, times: failFirst } : undefined

const answerFile = args['answer-file']
const text = answerFile ? await Bun.file(answerFile).text() : (args.answer ?? DEFAULT_SCRIPT.text)
const script: Script = {
  text,
  ttftMs: numberArg('ttft-ms', args['ttft-ms']),
  tokensPerSecond: numberArg('tokens-per-second', args['tokens-per-second']),
  failBeforeFirstToken: failure,
  failAfterTokens: numberArg('fail-after-tokens', args['fail-after-tokens']),
}

const shortAnswer = args['short-answer']
const emulator = await startAnthropicEmulator({
  port: numberArg('port', args.port),
  hostname: args.host,
  respond: (request) => (!request.stream && shortAnswer !== undefined ? { ...script, text: shortAnswer } : script),
  apiKeys: args['api-key'],
})

console.log(emulator.url)
console.error(
  `Anthropic Messages API emulator on ${emulator.url} (ttft ${script.ttftMs}ms, ${script.tokensPerSecond} tokens/s).\n` +
    `Point the SDK's baseURL (or ANTHROPIC_BASE_URL) at it; ${args['api-key'] ? 'only the given keys' : 'any API key'} is accepted.`,
)

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, async () => {
    await emulator.stop()
    process.exit(0)
  })
}
