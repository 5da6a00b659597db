// KnowledgeTree on the test fleet as a visitor reaches it: HTTPS to the lb
// host under the site's name, trusting only the root of the ACME test CA
// (pebble) that issued nginx's certificate. Plus the API calls the scenarios
// need: an account, a collection with a transcript, questions streamed as SSE.
import { checkServerIdentity, type PeerCertificate } from 'node:tls'
import { readFileSync } from 'node:fs'
import { readSse, tokenText, type SseEvent } from '../sseClient.ts'
import { fleet } from './fleetWorld.ts'

const ca = readFileSync(fleet.pebbleRoot, 'utf8')
const origin = `https://${fleet.domain}`

/** A request to https://<domain><path>, sent to the lb host; redirects are not followed. */
export function site(path: string, init: RequestInit & { headers?: Record<string, string> } = {}): Promise<Response> {
  return fetch(`https://${fleet.hosts.lb1}${path}`, {
    ...init,
    redirect: 'manual',
    headers: { host: fleet.domain, ...init.headers },
    tls: {
      ca,
      serverName: fleet.domain,
      checkServerIdentity: (_host: string, cert: PeerCertificate) => checkServerIdentity(fleet.domain, cert),
    },
  })
}

async function json<T>(res: Response, expected: number, what: string): Promise<T> {
  const body = await res.text()
  if (res.status !== expected) throw new Error(`${what}: HTTP ${res.status} (expected ${expected}): ${body.slice(0, 500)}`)
  return (body ? JSON.parse(body) : null) as T
}

export type Account = { email: string; auth(): Promise<Record<string, string>> }

/** Signs up through the site and keeps a fresh access token (they live 15 minutes). */
export async function signUp(): Promise<Account> {
  const email = `ops-${crypto.randomUUID().slice(0, 8)}@${fleet.domain}`
  const password = `deploy test ${crypto.randomUUID()}`
  const body = (b: unknown) => ({ method: 'POST', headers: { origin, 'content-type': 'application/json' }, body: JSON.stringify(b) })
  await json(await site('/api/auth/signup', body({ email, password })), 202, 'sign up')
  let token = ''
  let at = 0
  return {
    email,
    async auth() {
      if (!token || performance.now() - at > 10 * 60_000) {
        token = (
          await json<{ accessToken: string }>(await site('/api/auth/login', body({ email, password, mode: 'token' })), 200, 'log in')
        ).accessToken
        at = performance.now()
      }
      return { authorization: `Bearer ${token}` }
    },
  }
}

export async function api<T = any>(account: Account, method: string, path: string, payload?: unknown, expected = 200): Promise<T> {
  const headers: Record<string, string> = {
    ...(await account.auth()),
    ...(payload !== undefined ? { 'content-type': 'application/json' } : {}),
  }
  return json<T>(
    await site(path, { method, headers, body: payload !== undefined ? JSON.stringify(payload) : undefined }),
    expected,
    `${method} ${path}`,
  )
}

/** A collection with one transcript, processed by the workers (bounded wait). */
export async function collectionWithTranscript(account: Account): Promise<string> {
  const { id } = await api<{ id: string }>(account, 'POST', '/api/collections', { name: 'Deploy test talks' }, 201)
  const cues = [
    'Caching keeps hot data close to the code that reads it.',
    'A rolling deploy replaces one instance at a time.',
    'Backups are only as good as the last restore drill.',
  ]
  const vtt = `WEBVTT\n\n${cues.map((c, i) => `00:00:${String(i * 10).padStart(2, '0')}.000 --> 00:00:${String(i * 10 + 9).padStart(2, '0')}.000\n${c}\n`).join('\n')}`
  const form = new FormData()
  form.set('file', new File([vtt], 'talk.vtt', { type: 'text/vtt' }))
  form.set('title', 'Operations talk')
  const video = await json<{ id: string }>(
    await site(`/api/collections/${id}/videos/transcripts`, { method: 'POST', headers: await account.auth(), body: form }),
    202,
    'upload a transcript',
  )
  for (let i = 0; i < 240; i++) {
    const v = await api<{ status: string }>(account, 'GET', `/api/videos/${video.id}`)
    if (v.status === 'ready') return id
    if (v.status === 'failed') throw new Error(`the transcript failed to process: ${JSON.stringify(v)}`)
    await Bun.sleep(500)
  }
  throw new Error('the transcript was not processed within 2 minutes (are the workers running?)')
}

export async function newConversation(account: Account, collectionId: string): Promise<string> {
  return (await api<{ id: string }>(account, 'POST', '/api/conversations', { collectionId }, 201)).id
}

export type FollowedAnswer = { messageId: string; text: string; events: SseEvent[]; resumes: number; complete: boolean }

/**
 * Asks a question and follows the answer to its end the way the web app does:
 * when the stream breaks (or `dropAfterTokens` says to leave, as a closed tab
 * would), it comes back with Last-Event-ID, wherever nginx sends it.
 */
export async function askAndFollow(
  account: Account,
  conversationId: string,
  question: string,
  options: { dropAfterTokens?: number; onEvent?: (e: SseEvent) => void; onStatus?: (status: number, body?: string) => void } = {},
): Promise<FollowedAnswer> {
  const events: SseEvent[] = []
  const collect = (e: SseEvent) => {
    events.push(e)
    options.onEvent?.(e)
  }
  const ended = () => ['done', 'error'].includes(events.at(-1)?.event ?? '')
  let resumes = 0
  const abort = new AbortController()
  try {
    const res = await site(`/api/conversations/${conversationId}/messages`, {
      method: 'POST',
      headers: { ...(await account.auth()), 'content-type': 'application/json' },
      body: JSON.stringify({ content: question }),
      signal: abort.signal,
    })
    if (res.status !== 200) {
      const body = (await res.text()).slice(0, 300)
      options.onStatus?.(res.status, body)
      throw new Error(`ask: HTTP ${res.status}: ${body}`)
    }
    options.onStatus?.(res.status)
    const drop = options.dropAfterTokens
    await readSse(res, {
      onEvent: collect,
      stopAfter: drop ? (_e, all) => all.filter((x) => x.event === 'token').length >= drop : undefined,
    })
  } catch (err) {
    if (!events.length) throw err
  } finally {
    abort.abort()
  }
  const messageId = events[0]?.data.messageId as string
  for (let attempt = 0; !ended() && attempt < 20; attempt++) {
    resumes++
    try {
      const res = await site(`/api/conversations/${conversationId}/messages/${messageId}/stream`, {
        headers: { ...(await account.auth()), 'last-event-id': String(events.at(-1)!.id) },
      })
      if (res.status !== 200) {
        const body = (await res.text()).slice(0, 300)
        options.onStatus?.(res.status, body)
        throw new Error(`resume: HTTP ${res.status}: ${body}`)
      }
      options.onStatus?.(res.status)
      await readSse(res, { onEvent: collect })
    } catch {
      await Bun.sleep(250)
    }
  }
  return { messageId, text: tokenText(events), events, resumes, complete: events.at(-1)?.event === 'done' }
}
