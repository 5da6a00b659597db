// The client side of streamMemory.ts, in a process of its own so its objects
// are not in the api's heap: asks one question per conversation and keeps
// reading every stream, printing how many are open and how many have had a
// token. Stops reading (closing its connections) when its stdin closes.
//
//   bun benchmarks/chat-sse/holdStreams.ts URL IDS_FILE   (env BEARER, STAGGER_MS)
import { readFileSync } from 'node:fs'
import { readSse } from '../../testing/sseClient.ts'

const [url, idsFile] = process.argv.slice(2) as [string, string]
const ids = readFileSync(idsFile, 'utf8').trim().split('\n')
const headers = { authorization: process.env.BEARER!, 'content-type': 'application/json', accept: 'text/event-stream' }
const stagger = Number(process.env.STAGGER_MS ?? 5)
const abort = new AbortController()
let open = 0
let streaming = 0
let failed = 0

const report = setInterval(() => console.log(JSON.stringify({ open, streaming, failed })), 250)
for (const id of ids) {
  void (async () => {
    let seen = false
    try {
      const res = await fetch(`${url}/api/conversations/${id}/messages`, {
        method: 'POST',
        headers,
        body: JSON.stringify({ content: 'Why would I use diskcache instead of Redis?' }),
        signal: abort.signal,
      })
      if (res.status !== 200) throw new Error(`HTTP ${res.status}`)
      open++
      await readSse(res, {
        onEvent: (e) => {
          // `token` from the api; `content_block_delta` from a bare relay of the model's own stream.
          if ((e.event === 'token' || e.event === 'content_block_delta') && !seen) {
            seen = true
            streaming++
          }
        },
      })
    } catch {
      if (!abort.signal.aborted) failed++
    }
  })()
  await Bun.sleep(stagger)
}
// The parent closes stdin when it has measured.
const stdin = Bun.stdin.stream().getReader()
while (!(await stdin.read()).done) {}
clearInterval(report)
abort.abort()
process.exit(0)
