// What an open answer stream costs the api in memory, counted where it lives:
// the api runs in this process (startServer, as server/main.ts runs it) so
// its JavaScript heap can be measured after a full collection (bun:jsc
// heapStats), beside the process RSS the open-loop benchmark divides. The
// client that holds the streams open is a process of its own (holdStreams.ts),
// so none of its objects are counted. The emulator paces answers slowly, so
// every stream is open (a token received, more to come) when it is measured.
//
// Two floors beside it, in the same process and way: a bare Bun.serve that
// pipes the model's SSE stream (one fetch) to its client, and one that reads
// it through the Anthropic SDK and writes each text delta as an SSE event, as
// the api does, without anything else of the api.
//
// --long-answer=SECONDS: answers of ~40 words a second for that long (10
// tokens a second), each stream measured after it has streamed ~3/4 of its
// answer: what a running answer's own events cost (its own RESULTS.md section).
//
//   bun run benchmarks/chat-sse/streamMemory.ts [--streams=250,1000] [--long-answer=60] [--no-results]
import Anthropic from '@anthropic-ai/sdk'
import { heapStats } from 'bun:jsc'
import { rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createLogger } from '../../server/platform/logger.ts'
import { startServer } from '../../server/server.ts'
import { makeUser } from '../../testing/factories.ts'
import { createBenchDatabase } from '../benchDatabase.ts'
import { printMachine } from '../machine.ts'
import { apiConfig, freePort, rerunWithFetchLimit, startAnthropicEmulator, type Child } from '../processes.ts'
import { LONG_TRANSCRIPTS, seedCollection } from '../seedCollection.ts'
import { fmt, markdownTable } from '../stats.ts'
import { updateResults } from '../updateResults.ts'

// The api in this process streams from the emulator: one upstream request per answer.
await rerunWithFetchLimit(8192)

const option = (name: string, fallback: string) => process.argv.find((a) => a.startsWith(`--${name}=`))?.split('=')[1] ?? fallback
const COUNTS = option('streams', '250,1000').split(',').map(Number)
const WARMUP = 20
const FLOORS = 2
const LONG_SECONDS = Number(option('long-answer', '0'))
// ~40 s per answer at 1 token/s: long enough for 1,000 streams to be open at once.
const TOKENS_PER_SECOND = LONG_SECONDS ? 10 : 1
const SHORT_ANSWER =
  'DiskCache keeps Python objects in SQLite files on disk [1], so a cache survives restarts and several processes on one machine can share it. For local reads it is often faster than a network cache such as Redis [2], and it needs no server to run.'
const ANSWER = LONG_SECONDS
  ? Array.from({ length: Math.ceil((LONG_SECONDS * TOKENS_PER_SECOND) / SHORT_ANSWER.split(/\s+/).length) }, () => SHORT_ANSWER).join(' ')
  : SHORT_ANSWER
/** Long answers: how long streams are held after every one has had a token, so each has streamed most of its answer. */
const HOLD_MS = LONG_SECONDS * 750

type Snapshot = { heapKiB: number; extraKiB: number; objects: number; rssKiB: number; types: Record<string, number> }

async function snapshot(): Promise<Snapshot> {
  Bun.gc(true)
  await Bun.sleep(200)
  Bun.gc(true)
  const h = heapStats()
  return {
    heapKiB: h.heapSize / 1024,
    extraKiB: h.extraMemorySize / 1024,
    objects: h.objectCount,
    rssKiB: process.memoryUsage().rss / 1024,
    types: h.objectTypeCounts,
  }
}

async function until(what: string, ok: () => boolean | Promise<boolean>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (!(await ok())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await Bun.sleep(250)
  }
}

/** Opens `ids.length` streams from a client process; resolves once every one has had a token, with a way to close them. */
async function holdStreams(url: string, bearer: string, ids: string[]) {
  const file = join(tmpdir(), `kt-hold-${process.pid}-${ids.length}.txt`)
  writeFileSync(file, ids.join('\n'))
  const child = Bun.spawn([process.execPath, join(import.meta.dir, 'holdStreams.ts'), url, file], {
    env: { ...process.env, BEARER: bearer, BUN_CONFIG_MAX_HTTP_REQUESTS: '8192' },
    stdin: 'pipe',
    stdout: 'pipe',
    stderr: 'inherit',
  })
  let last = { open: 0, streaming: 0, failed: 0 }
  void (async () => {
    const decoder = new TextDecoder()
    let buffer = ''
    const reader = child.stdout.getReader()
    for (;;) {
      const { value, done } = await reader.read()
      if (done) return
      buffer += decoder.decode(value, { stream: true })
      const lines = buffer.split('\n')
      buffer = lines.pop()!
      for (const line of lines) if (line.startsWith('{')) last = JSON.parse(line)
    }
  })()
  await until(`${ids.length} streams to have a token`, () => last.streaming + last.failed >= ids.length, 120_000)
  return {
    state: () => last,
    async close() {
      child.stdin.end()
      await child.exited
      rmSync(file, { force: true })
    },
  }
}

const startedAll = performance.now()
const db = await createBenchDatabase()
const children: Child[] = []
let server: Awaited<ReturnType<typeof startServer>> | null = null
try {
  const machine = await printMachine(db.sql)
  const emulator = await startAnthropicEmulator(['--ttft-ms', '300', '--tokens-per-second', String(TOKENS_PER_SECOND), '--answer', ANSWER])
  children.push(emulator)
  const config = apiConfig(db.url, {
    ANTHROPIC_API_KEY: 'benchmark',
    ANTHROPIC_BASE_URL: emulator.url,
    HOST: '127.0.0.1',
    PORT: String(freePort()),
  })
  const user = await makeUser(db.sql, config, 'bench')
  const seeded = await seedCollection(db.sql, config, user.id, LONG_TRANSCRIPTS[3]!)
  const ids = (
    await db.sql<{ id: string }[]>`
      insert into conversations (user_id, collection_id, title)
      select ${user.id}, ${seeded.collectionId}, 'Memory ' || g from generate_series(1, ${WARMUP + COUNTS.reduce((a, b) => a + b, 0) + FLOORS * COUNTS.at(-1)!}) g
      returning id`
  ).map((r) => r.id)
  server = await startServer(config, createLogger('error'), { web: null })
  const streaming = async () => (await db.sql<{ n: number }[]>`select count(*)::int as n from messages where status = 'streaming'`)[0]!.n
  const drained = () => until('every answer to end', async () => (await streaming()) === 0, 180_000)

  // Warm-up: the code paths run (JIT, lazily made clients) before the baseline.
  const warm = await holdStreams(server.url, user.bearer.authorization!, ids.splice(0, WARMUP))
  await warm.close()
  await drained()

  const rows: (string | number)[][] = []
  let typeRows: (string | number)[][] = []
  const measure = async (label: string, url: string, count: number, openNow: () => Promise<number>, drain: () => Promise<void>) => {
    const before = await snapshot()
    const held = await holdStreams(url, user.bearer.authorization!, ids.splice(0, count))
    await Bun.sleep(HOLD_MS)
    const open = await openNow()
    const during = await snapshot()
    const { failed } = held.state()
    await held.close()
    const per = (a: number, b: number) => (b - a) / Math.max(1, open)
    rows.push([
      label,
      count,
      open,
      failed,
      fmt(per(before.heapKiB, during.heapKiB), 1),
      fmt(per(before.extraKiB, during.extraKiB), 1),
      fmt(per(before.objects, during.objects), 0),
      fmt(per(before.rssKiB, during.rssKiB), 1),
    ])
    console.log(
      `${label}, ${count} streams: ${open} open, ${failed} failed; per open stream: heap ${fmt(per(before.heapKiB, during.heapKiB), 1)} KiB, buffers ${fmt(per(before.extraKiB, during.extraKiB), 1)} KiB, ${fmt(per(before.objects, during.objects), 0)} objects, RSS ${fmt(per(before.rssKiB, during.rssKiB), 1)} KiB`,
    )
    if (label === 'the api')
      typeRows = Object.entries(during.types)
        .map(([type, n]) => [type, (n - (before.types[type] ?? 0)) / Math.max(1, open)] as const)
        .filter(([, n]) => n >= 1)
        .sort((a, b) => b[1] - a[1])
        .slice(0, 15)
        .map(([type, n]) => [type, fmt(n, 1)])
    await drain()
  }
  for (const count of COUNTS) await measure('the api', server.url, count, streaming, drained)

  // The floors: the same client, the same emulator, nothing of the api.
  let relaying = 0
  const request = JSON.stringify({
    model: config.ANTHROPIC_MODEL,
    max_tokens: 4000,
    stream: true,
    messages: [{ role: 'user', content: 'Why would I use diskcache instead of Redis?' }],
  })
  const sdk = new Anthropic({ apiKey: 'benchmark', baseURL: emulator.url, maxRetries: 0 })
  const relays = {
    'bare Bun.serve piping the model stream (fetch)': async () => {
      const upstream = await fetch(`${emulator.url}/v1/messages`, {
        method: 'POST',
        headers: { 'x-api-key': 'benchmark', 'anthropic-version': '2023-06-01', 'content-type': 'application/json' },
        body: request,
      })
      return new Response(upstream.body, { headers: { 'content-type': 'text/event-stream' } })
    },
    'bare Bun.serve relaying text deltas through the Anthropic SDK': async () => {
      const stream = await sdk.messages.create({
        model: config.ANTHROPIC_MODEL,
        max_tokens: 4000,
        stream: true,
        messages: [{ role: 'user', content: 'Why would I use diskcache instead of Redis?' }],
      })
      const encoder = new TextEncoder()
      return new Response(
        new ReadableStream({
          async pull(controller) {
            for await (const event of stream)
              if (event.type === 'content_block_delta' && event.delta.type === 'text_delta')
                controller.enqueue(encoder.encode(`event: content_block_delta\ndata: ${JSON.stringify({ text: event.delta.text })}\n\n`))
            controller.close()
          },
          cancel: () => stream.controller.abort(),
        }),
        { headers: { 'content-type': 'text/event-stream' } },
      )
    },
  }
  for (const [label, relay] of Object.entries(relays)) {
    const bare = Bun.serve({
      hostname: '127.0.0.1',
      port: 0,
      idleTimeout: 0,
      async fetch() {
        relaying++
        const res = await relay()
        const done = new TransformStream()
        void res.body!.pipeTo(done.writable).finally(() => relaying--)
        return new Response(done.readable, { headers: res.headers })
      },
    })
    await measure(
      label,
      bare.url.origin,
      COUNTS.at(-1)!,
      async () => relaying,
      () => until('the relays to close', () => relaying === 0, 60_000),
    )
    await bare.stop(true)
  }

  const body = [
    `Per open answer stream in the api process, after a full garbage collection (\`bun:jsc\` heapStats), against the same process before the streams opened. The api runs in the benchmark's process (startServer, as server/main.ts runs it); the client holding the streams is a process of its own, so none of its objects are counted. Emulator TTFT 300 ms, ${TOKENS_PER_SECOND} token/s (${ANSWER.split(/\s+/).length}-word answers, ~${Math.round(ANSWER.split(/\s+/).length / TOKENS_PER_SECOND)} s), so every stream has had a token and is still open when measured${HOLD_MS ? ` (measured ${HOLD_MS / 1000} s after the last stream's first token: each has streamed most of its answer)` : ''}; one conversation per stream, collection of 1 video (${seeded.chunks} chunks); api DB_POOL_MAX ${config.DB_POOL_MAX}. "Buffers" is memory outside the heap that the heap accounts for (ArrayBuffers, strings' external storage); sockets and TLS state are in neither and show only in RSS.`,
    '',
    markdownTable(
      [
        'server',
        'streams asked',
        'open when measured',
        'failed',
        'heap KiB per stream',
        'buffers KiB per stream',
        'objects per stream',
        'RSS KiB per stream',
      ],
      rows,
    ),
    '',
    `What the api's heap holds per open stream at ${COUNTS.at(-1)} streams (object types, count per stream, the 15 most numerous):`,
    '',
    markdownTable(['object type', 'per stream'], typeRows),
  ].join('\n')
  updateResults(LONG_SECONDS ? 'chat-sse memory per stream, long answers' : 'chat-sse memory per stream', machine, body, {
    command: `bun run benchmarks/chat-sse/streamMemory.ts --streams=${COUNTS.join(',')}${LONG_SECONDS ? ` --long-answer=${LONG_SECONDS}` : ''}`,
    durationSeconds: (performance.now() - startedAll) / 1000,
  })
  console.log(`\n${body}`)
} finally {
  await server?.stop().catch(() => {})
  for (const c of children.reverse()) await c.stop().catch(() => {})
  await db.drop()
}
process.exit(0)
