// The load test's HTTP client side: one timed request per sample, and the
// accounts' tokens, which their virtual users share and renew as the web app
// does (once, for every user of the account, before the access token expires).
import type { TestUser } from '../../testing/factories.ts'
import type { Sample } from './report.ts'

// Access tokens live this long in the run, so every account renews its token several times.
export const ACCESS_TTL_S = 60
export const REQUEST_TIMEOUT_MS = 30_000

export async function timed(samples: Sample[], cls: string, run: () => Promise<Response>): Promise<Response | null> {
  const start = performance.now()
  try {
    const res = await run()
    const ms = performance.now() - start
    samples.push({ cls, ms, ok: res.status < 400, status: res.status, at: Date.now() })
    return res
  } catch {
    samples.push({ cls, ms: performance.now() - start, ok: false, status: 0, at: Date.now() })
    return null
  }
}

/** An account's tokens, shared by its virtual users; renewed once (single flight) before the access token expires. */
export type Account = TestUser & { renewAt: number; renewing: Promise<void> | null }

export const renewAfter = () => Date.now() + ACCESS_TTL_S * 1000 * (0.5 + 0.3 * Math.random())

export async function authHeaders(url: string, account: Account, samples: Sample[]): Promise<Record<string, string>> {
  if (Date.now() >= account.renewAt)
    account.renewing ??= (async () => {
      const res = await timed(samples, 'POST auth/refresh', () =>
        fetch(`${url}/api/auth/refresh`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ refreshToken: account.refreshToken }),
          signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
        }),
      )
      if (res?.status === 200) {
        const body = (await res.json()) as { accessToken: string; refreshToken: string }
        account.accessToken = body.accessToken
        account.refreshToken = body.refreshToken
        account.bearer = { authorization: `Bearer ${body.accessToken}` }
        account.renewAt = renewAfter()
      } else await res?.body?.cancel().catch(() => {})
    })().finally(() => {
      account.renewing = null
    })
  if (account.renewing) await account.renewing
  return account.bearer
}
