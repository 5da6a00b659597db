// One virtual user of the load test (loadTest.ts): after a random start in the
// ramp it thinks (exponential, mean thinkS) between actions drawn from a mix:
// list collections, open a transcript, list a collection's videos, search
// conversations, ask a question and read the answer to the end (one in ten
// stops after the first tokens and resumes from Last-Event-ID, as a reload
// does), and now and then upload a transcript. Every request is a Sample; every
// question an Ask.
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { readSse } from '../../testing/sseClient.ts'
import { TRANSCRIPTS_DIR } from '../seedCollection.ts'
import { type Account, authHeaders, REQUEST_TIMEOUT_MS, timed } from './accounts.ts'
import type { Ask, Sample } from './report.ts'

/** The run's timing: the ramp and mean think time in seconds, and the emulator's time to first token (taken off each Ask's). */
type Pace = { rampS: number; thinkS: number; ttftMs: number }

const QUESTIONS = [
  'Why use diskcache instead of Redis?',
  'How do I open source my code properly?',
  'What does GDPR let me ask a company for?',
  'What is a good way to learn the shell?',
  // A follow-up that leans on the answer before it (every question after a
  // conversation's first is rewritten by the model before retrieval).
  'Can you give an example of that?',
]
const UPLOAD = 'videojs__captions.en.vtt'

const sleep = (ms: number) => Bun.sleep(ms)
const think = (meanS: number) => sleep(-Math.log(1 - Math.random()) * meanS * 1000)
const pick = <T>(xs: readonly T[]) => xs[Math.floor(Math.random() * xs.length)]!

export type World = { url: string; users: Account[]; collections: string[]; videos: string[]; uploadTo: Map<string, string> }

async function askOnce(w: World, user: Account, conversationId: string, samples: Sample[], asks: Ask[], pace: Pace): Promise<void> {
  const a: Ask = { messageId: null, streamed: '', resumed: false, ttftMs: null, tokensPerS: null, ok: false, error: null }
  asks.push(a)
  const start = performance.now()
  const reload = Math.random() < 0.1
  const auth = await authHeaders(w.url, user, samples)
  const res = await timed(samples, 'POST messages (headers)', () =>
    fetch(`${w.url}/api/conversations/${conversationId}/messages`, {
      method: 'POST',
      headers: { ...auth, 'content-type': 'application/json', accept: 'text/event-stream' },
      body: JSON.stringify({ content: pick(QUESTIONS) }),
      signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS * 3),
    }),
  )
  if (!res || res.status !== 200) {
    a.error = `HTTP ${res?.status ?? 'network'}`
    await res?.body?.cancel().catch(() => {})
    return
  }
  // The response names the answer before any event: the search runs inside the stream.
  a.messageId = res.headers.get('x-message-id')
  let firstAt: number | null = null
  let tokens = 0
  let lastId = 0
  try {
    const events = await readSse(res, {
      onEvent: (e) => {
        if (e.id !== null) lastId = e.id
        if (e.event === 'sources') a.messageId ??= e.data.messageId ?? null
        if (e.event === 'token') {
          firstAt ??= performance.now()
          a.streamed += e.data.text
          tokens++
        }
      },
      stopAfter: (e) => reload && e.event === 'token' && tokens >= 3,
    })
    let last = events.at(-1)
    if (reload && last?.event === 'token' && a.messageId) {
      a.resumed = true
      const resumeAuth = await authHeaders(w.url, user, samples)
      const again = await timed(samples, 'GET stream (resume)', () =>
        fetch(`${w.url}/api/conversations/${conversationId}/messages/${a.messageId}/stream`, {
          headers: { ...resumeAuth, accept: 'text/event-stream', 'last-event-id': String(lastId) },
          signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS * 3),
        }),
      )
      if (!again || again.status !== 200) throw new Error(`resume HTTP ${again?.status ?? 'network'}`)
      const rest = await readSse(again, {
        onEvent: (e) => {
          if (e.event === 'token') {
            a.streamed += e.data.text
            tokens++
          }
        },
      })
      last = rest.at(-1)
    }
    if (last?.event !== 'done')
      throw new Error(last?.event === 'error' ? `error event ${JSON.stringify(last.data).slice(0, 80)}` : 'stream ended without done')
    const end = performance.now()
    if (firstAt !== null) {
      a.ttftMs = firstAt - start - pace.ttftMs
      if (end > firstAt && tokens > 1) a.tokensPerS = (tokens - 1) / ((end - firstAt) / 1000)
    }
    a.ok = true
  } catch (err) {
    a.error = String((err as Error).message ?? err).slice(0, 100)
  }
}

export async function virtualUser(i: number, w: World, until: number, samples: Sample[], asks: Ask[], pace: Pace): Promise<void> {
  const user = w.users[i % w.users.length]!
  let conversationId: string | null = null
  await sleep(Math.random() * pace.rampS * 1000)
  while (Date.now() < until) {
    const r = Math.random()
    const h = await authHeaders(w.url, user, samples)
    const get = (cls: string, path: string) =>
      timed(samples, cls, () => fetch(`${w.url}${path}`, { headers: h, signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS) })).then((res) =>
        res?.arrayBuffer().catch(() => null),
      )
    if (r < 0.3) await get('GET collections', '/api/collections')
    else if (r < 0.5) await get('GET transcript', `/api/videos/${pick(w.videos)}/transcript`)
    else if (r < 0.65) await get('GET videos', `/api/collections/${pick(w.collections)}/videos`)
    else if (r < 0.75)
      await get('GET search', `/api/conversations/search?q=${encodeURIComponent(pick(['cache', 'GDPR', 'shell', 'license']))}`)
    else if (r < 0.98) {
      if (!conversationId) {
        const res = await timed(samples, 'POST conversations', () =>
          fetch(`${w.url}/api/conversations`, {
            method: 'POST',
            headers: { ...h, 'content-type': 'application/json' },
            body: JSON.stringify({ collectionId: pick(w.collections) }),
            signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
          }),
        )
        conversationId = res?.status === 201 ? ((await res.json()) as { id: string }).id : null
      }
      if (conversationId) await askOnce(w, user, conversationId, samples, asks, pace)
    } else {
      const form = new FormData()
      form.append('file', new File([readFileSync(join(TRANSCRIPTS_DIR, UPLOAD))], UPLOAD, { type: 'text/vtt' }))
      await timed(samples, 'POST upload', () =>
        fetch(`${w.url}/api/collections/${w.uploadTo.get(user.id)}/videos/transcripts`, {
          method: 'POST',
          headers: h,
          body: form,
          signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
        }),
      ).then((res) => res?.arrayBuffer().catch(() => null))
    }
    await think(pace.thinkS)
  }
}
