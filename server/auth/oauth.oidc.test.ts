import { afterAll, afterEach, beforeAll, describe, expect, test } from 'bun:test'
import { randomBytes } from 'node:crypto'
import { decodeJwt, decodeProtectedHeader, generateKeyPair, SignJWT } from 'jose'
import {
  browserWith,
  callback,
  encodeSavedSignIn,
  s256,
  sessionCookies,
  startSignIn,
  type StartedSignIn,
} from '../../testing/oauthFixtures/oauthFlow.ts'
import { followProviderRedirects, type CookieJar } from '../../testing/oidc/followProviderRedirects.ts'
import { startOidcProvider, type OidcTestProvider } from '../../testing/oidc/startOidcProvider.ts'
import { createTestApp, request, type TestApp } from '../../testing/testApp.ts'

const PUBLIC_URL = 'http://localhost:3000'
const REDIRECT_URI = `${PUBLIC_URL}/api/auth/oauth/oidc/callback`

let op: OidcTestProvider
let t: TestApp

beforeAll(async () => {
  op = await startOidcProvider({ redirectUri: REDIRECT_URI })
  t = await createTestApp({
    PUBLIC_URL,
    OIDC_ISSUER: op.issuer,
    OIDC_CLIENT_ID: op.clientId,
    OIDC_CLIENT_SECRET: op.clientSecret,
    OIDC_NAME: 'Corp SSO',
  })
})
afterAll(async () => {
  await t.close()
  await op.stop()
})
afterEach(() => op.tamperIdTokens(null))

/** Start at our api, then the browser's round trip through the provider back to our callback URL. */
async function throughProvider(jar: CookieJar = new Map(), returnTo?: string): Promise<{ started: StartedSignIn; back: URL }> {
  const started = await startSignIn(t.app, t.config, 'oidc', returnTo)
  expect(started.status).toBe(302)
  return { started, back: await followProviderRedirects(started.location, REDIRECT_URI, jar) }
}

function finish(back: URL, cookie: string): Promise<Response> {
  return callback(t.app, t.config, 'oidc', Object.fromEntries(back.searchParams), cookie)
}

async function expectCallbackFailure(res: Response): Promise<void> {
  expect(res.status).toBe(400)
  expect(((await res.json()) as { code: string }).code).toBe('oauth_callback_failed')
  expect(sessionCookies(res, t.config)).toEqual({ access: null, refresh: null })
}

async function oidcLinks(): Promise<{ userId: string; provider: string; subject: string }[]> {
  return [
    ...(await t.db.sql<
      { userId: string; provider: string; subject: string }[]
    >`select user_id, provider, subject from oauth_accounts where provider like 'oidc:%'`),
  ]
}

/** The signature segment with one byte changed. */
function flipSignatureByte(jwt: string): string {
  const [h, p, s] = jwt.split('.')
  const sig = Buffer.from(s!, 'base64url')
  sig[sig.length >> 1]! ^= 0x01
  return `${h}.${p}.${sig.toString('base64url')}`
}

describe('sign in with a generic OpenID Connect provider (real oidc-provider)', () => {
  test('the providers list offers it under its configured name', async () => {
    const res = await t.app.handle(request('/api/auth/providers'))
    const body = (await res.json()) as { providers: { id: string; label: string; startUrl: string }[] }
    expect(body.providers).toContainEqual({ id: 'oidc', label: 'Corp SSO', startUrl: '/api/auth/oauth/oidc/start' })
  })

  test('start sends the browser to the discovered authorization endpoint with PKCE S256, state and nonce', async () => {
    const started = await startSignIn(t.app, t.config, 'oidc')
    expect(started.status).toBe(302)
    expect(`${started.location.origin}${started.location.pathname}`).toBe(`${op.issuer}/auth`)
    const q = started.location.searchParams
    expect(q.get('client_id')).toBe(op.clientId)
    expect(q.get('redirect_uri')).toBe(REDIRECT_URI)
    expect(q.get('response_type')).toBe('code')
    expect(q.get('scope')?.split(' ')).toContain('openid')
    expect(q.get('state')).toBe(started.saved.s)
    expect(q.get('nonce')).toBe(started.saved.n)
    expect(q.get('code_challenge_method')).toBe('S256')
    expect(q.get('code_challenge')).toBe(s256(started.saved.v!))
  })

  test('a full sign-in creates the user from the verified ID token, links (oidc:<issuer>, sub) and redirects to returnTo', async () => {
    const { started, back } = await throughProvider(new Map(), '/collections/7')
    expect(back.searchParams.get('state')).toBe(started.saved.s)

    const res = await finish(back, started.cookie)

    expect(res.status).toBe(302)
    expect(res.headers.get('location')).toBe('/collections/7')
    const session = sessionCookies(res, t.config)
    expect(session.refresh).not.toBeNull()
    const me = await t.app.handle(request('/api/auth/me', { headers: browserWith(t.config, session.access!) }))
    expect(me.status).toBe(200)
    const user = (await me.json()) as { id: string; email: string; displayName: string; emailVerified: boolean }
    expect(user).toMatchObject({ email: op.account.email, displayName: op.account.name, emailVerified: true })
    expect(await oidcLinks()).toEqual([{ userId: user.id, provider: `oidc:${op.issuer}`, subject: op.account.sub }])
  })

  test('signing in again maps to the same user by (issuer, subject), even after the email changed at the provider', async () => {
    const jar: CookieJar = new Map()
    const first = await throughProvider(jar)
    expect((await finish(first.back, first.started.cookie)).status).toBe(302)
    const [link] = await oidcLinks()
    const originalEmail = op.account.email
    op.account.email = `renamed-${randomBytes(3).toString('hex')}@corp.example`
    try {
      const second = await throughProvider(jar)
      const res = await finish(second.back, second.started.cookie)
      expect(res.status).toBe(302)
      const me = await t.app.handle(request('/api/auth/me', { headers: browserWith(t.config, sessionCookies(res, t.config).access!) }))
      expect(((await me.json()) as { id: string }).id).toBe(link!.userId)
      expect(await oidcLinks()).toHaveLength(1)
      expect(await t.db.sql`select 1 from users where email = ${op.account.email}`).toHaveLength(0)
    } finally {
      op.account.email = originalEmail
    }
  })

  test('an ID token with a corrupted signature is refused', async () => {
    op.tamperIdTokens(flipSignatureByte)
    const { started, back } = await throughProvider()
    await expectCallbackFailure(await finish(back, started.cookie))
  })

  test('an ID token re-signed with a key that is not in the provider JWKS is refused', async () => {
    const { privateKey } = await generateKeyPair('RS256')
    op.tamperIdTokens((jwt) =>
      new SignJWT(decodeJwt(jwt)).setProtectedHeader(decodeProtectedHeader(jwt) as { alg: string; kid: string }).sign(privateKey),
    )
    const { started, back } = await throughProvider()
    await expectCallbackFailure(await finish(back, started.cookie))
  })

  test('an ID token signed by the provider but issued to another client (aud) is refused', async () => {
    op.tamperIdTokens((jwt) => op.signWithProviderKey({ ...decodeJwt(jwt), aud: 'some-other-client' }))
    const { started, back } = await throughProvider()
    await expectCallbackFailure(await finish(back, started.cookie))
  })

  test('a control: the same re-signing with the provider key and nothing changed is accepted', async () => {
    // Shows the three refusals above come from the property changed, not from re-signing.
    op.tamperIdTokens((jwt) => op.signWithProviderKey(decodeJwt(jwt)))
    const { started, back } = await throughProvider()
    expect((await finish(back, started.cookie)).status).toBe(302)
  })

  test('an ID token whose nonce is not the one this browser started with is refused', async () => {
    const { started, back } = await throughProvider()
    const otherNonce = encodeSavedSignIn({ ...started.saved, n: randomBytes(32).toString('base64url') }, t.config)
    await expectCallbackFailure(await finish(back, otherNonce))
  })

  test('an ID token with a valid signature but another nonce is refused', async () => {
    op.tamperIdTokens((jwt) => op.signWithProviderKey({ ...decodeJwt(jwt), nonce: randomBytes(16).toString('base64url') }))
    const { started, back } = await throughProvider()
    await expectCallbackFailure(await finish(back, started.cookie))
  })

  test('the provider refuses a code redeemed with the wrong PKCE verifier, and so do we', async () => {
    const { started, back } = await throughProvider()
    const wrongVerifier = encodeSavedSignIn({ ...started.saved, v: randomBytes(32).toString('base64url') }, t.config)
    await expectCallbackFailure(await finish(back, wrongVerifier))
  })

  test('a callback whose state differs from the cookie is refused', async () => {
    const { started, back } = await throughProvider()
    back.searchParams.set('state', randomBytes(16).toString('base64url'))
    await expectCallbackFailure(await finish(back, started.cookie))
  })
})

describe('OpenID Connect when not configured', () => {
  let bare: TestApp
  beforeAll(async () => {
    bare = await createTestApp({ PUBLIC_URL })
  })
  afterAll(() => bare.close())

  test('the providers list does not offer it', async () => {
    const body = (await (await bare.app.handle(request('/api/auth/providers'))).json()) as { providers: { id: string }[] }
    expect(body.providers.map((p) => p.id)).not.toContain('oidc')
  })

  test('its start and callback routes are 404', async () => {
    expect((await bare.app.handle(request('/api/auth/oauth/oidc/start'))).status).toBe(404)
    expect((await bare.app.handle(request('/api/auth/oauth/oidc/callback?code=x&state=y'))).status).toBe(404)
  })
})

describe('OpenID Connect with a provider that returns email only from /userinfo (strict OIDC Core 5.4)', () => {
  let strictOp: OidcTestProvider
  let strict: TestApp
  beforeAll(async () => {
    strictOp = await startOidcProvider({ redirectUri: REDIRECT_URI, claimsOnlyAtUserinfo: true })
    strict = await createTestApp({
      PUBLIC_URL,
      OIDC_ISSUER: strictOp.issuer,
      OIDC_CLIENT_ID: strictOp.clientId,
      OIDC_CLIENT_SECRET: strictOp.clientSecret,
    })
  })
  afterAll(async () => {
    await strict.close()
    await strictOp.stop()
  })

  // Known gap: oauth.ts reads email/email_verified only from the ID token, so a
  // provider that follows OIDC Core 5.4 (oidc-provider's default) gets a 422
  // oauth_email_unverified. Fix: fall back to the discovered userinfo_endpoint;
  // then make this `test`.
  test('signs the user in with the verified email from /userinfo', async () => {
    const started = await startSignIn(strict.app, strict.config, 'oidc')
    const back = await followProviderRedirects(started.location, REDIRECT_URI)
    const res = await callback(strict.app, strict.config, 'oidc', Object.fromEntries(back.searchParams), started.cookie)
    expect(res.status).toBe(302)
    const [row] = await strict.db.sql<
      { email: string }[]
    >`select u.email from users u join oauth_accounts a on a.user_id = u.id where a.subject = ${strictOp.account.sub}`
    expect(row?.email).toBe(strictOp.account.email)
  })
})

describe('OpenID Connect with a client secret that has characters reserved in form encoding', () => {
  const SECRET = 'Xk8+q/Zr=9%2Fw:Lm0pQ7vB3nT6yU1c'
  let reservedOp: OidcTestProvider
  let reserved: TestApp
  beforeAll(async () => {
    reservedOp = await startOidcProvider({ redirectUri: REDIRECT_URI, clientSecret: SECRET })
    reserved = await createTestApp({
      PUBLIC_URL,
      OIDC_ISSUER: reservedOp.issuer,
      OIDC_CLIENT_ID: reservedOp.clientId,
      OIDC_CLIENT_SECRET: SECRET,
    })
  })
  afterAll(async () => {
    await reserved.close()
    await reservedOp.stop()
  })

  // Known gap: Arctic 3.7 puts the raw secret into HTTP Basic, but RFC 6749
  // §2.3.1 says to form-urlencode it first, and oidc-provider (like Keycloak)
  // decodes it, so `+`, `%`, `/`, `=` or `:` in the secret fail client auth.
  // Fix in oauth.ts: hand Arctic the form-urlencoded secret; then make this `test`.
  test('the code is redeemed and the user signed in', async () => {
    const started = await startSignIn(reserved.app, reserved.config, 'oidc')
    const back = await followProviderRedirects(started.location, REDIRECT_URI)
    const res = await callback(reserved.app, reserved.config, 'oidc', Object.fromEntries(back.searchParams), started.cookie)
    expect(res.status).toBe(302)
  })
})
