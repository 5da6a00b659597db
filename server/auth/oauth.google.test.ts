import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, test } from 'bun:test'
import { randomBytes } from 'node:crypto'
import { fakeGoogle, GOOGLE_AUTHORIZE_URL, type FakeGoogle, type GoogleUser } from '../../testing/oauthFixtures/fakeGoogle.ts'
import { basicCredentials, interceptFetch, type FetchInterceptor } from '../../testing/oauthFixtures/interceptFetch.ts'
import { browserWith, callback, encodeSavedSignIn, s256, sessionCookies, startSignIn } from '../../testing/oauthFixtures/oauthFlow.ts'
import { responseCookies } from '../../testing/factories.ts'
import { createTestApp, request, type TestApp } from '../../testing/testApp.ts'
import { cookieNames } from './cookies.ts'

const CLIENT = { id: '1234567890-kt0abcdefghijklmnopqrstuvwxyz01.apps.googleusercontent.com', secret: 'GOCSPX-kt_test_secret_0123456789ab' }
const PUBLIC_URL = 'http://localhost:3000'
const REDIRECT_URI = `${PUBLIC_URL}/api/auth/oauth/google/callback`

let t: TestApp
let google: FakeGoogle
let net: FetchInterceptor

beforeAll(async () => {
  t = await createTestApp({ PUBLIC_URL, GOOGLE_CLIENT_ID: CLIENT.id, GOOGLE_CLIENT_SECRET: CLIENT.secret })
})
afterAll(() => t.close())
beforeEach(async () => {
  google = await fakeGoogle(CLIENT)
  net = interceptFetch(google.routes)
})
afterEach(() => net.restore())

function newGoogleUser(): GoogleUser {
  const n = randomBytes(4).toString('hex')
  return {
    sub: String(100000000000000000000n + BigInt(`0x${n}`)),
    email: `ada.${n}@gmail.com`,
    emailVerified: true,
    givenName: 'Ada',
    familyName: 'Lovelace',
  }
}

async function userByEmail(email: string) {
  const [row] = await t.db.sql<{ id: string; emailVerifiedAt: Date | null; displayName: string; passwordHash: string | null }[]>`
    select id, email_verified_at, display_name, password_hash from users where email = ${email}`
  return row
}

async function expectCallbackFailure(res: Response): Promise<void> {
  expect(res.status).toBe(400)
  expect(res.headers.get('content-type')).toContain('application/problem+json')
  expect(((await res.json()) as { code: string }).code).toBe('oauth_callback_failed')
  expect(sessionCookies(res, t.config)).toEqual({ access: null, refresh: null })
  // The one-time sign-in state is cleared, so the next attempt starts afresh.
  expect(responseCookies(res)[cookieNames(PUBLIC_URL).oauth]).toBe('')
}

describe('sign in with Google', () => {
  test('start redirects to Google with state, an S256 challenge of the saved verifier and a nonce, and keeps them in the oauth cookie', async () => {
    const started = await startSignIn(t.app, t.config, 'google', '/collections/42')
    expect(started.status).toBe(302)
    expect(`${started.location.origin}${started.location.pathname}`).toBe(GOOGLE_AUTHORIZE_URL)
    const q = started.location.searchParams
    expect(q.get('response_type')).toBe('code')
    expect(q.get('client_id')).toBe(CLIENT.id)
    expect(q.get('redirect_uri')).toBe(REDIRECT_URI)
    expect(q.get('scope')?.split(' ').sort()).toEqual(['email', 'openid', 'profile'])
    expect(q.get('state')).toBe(started.saved.s)
    expect(q.get('code_challenge_method')).toBe('S256')
    expect(q.get('code_challenge')).toBe(s256(started.saved.v!))
    expect(q.get('nonce')).toBe(started.saved.n)
    expect(started.saved.s.length).toBeGreaterThanOrEqual(20)
    expect(started.saved.n).not.toBe(started.saved.s)
    expect(started.saved.r).toBe('/collections/42')
  })

  test('a full sign-in creates a verified user, sets session cookies that work, and redirects to returnTo', async () => {
    const user = newGoogleUser()
    const started = await startSignIn(t.app, t.config, 'google', '/collections/42?tab=videos')
    const code = google.authorize(started.location, user)

    const res = await callback(
      t.app,
      t.config,
      'google',
      { state: started.saved.s, code, scope: 'email profile openid', authuser: '0', prompt: 'consent' },
      started.cookie,
    )

    expect(res.status).toBe(302)
    expect(res.headers.get('location')).toBe('/collections/42?tab=videos')
    const session = sessionCookies(res, t.config)
    expect(session.access).not.toBeNull()
    expect(session.refresh).not.toBeNull()
    expect(responseCookies(res)[cookieNames(PUBLIC_URL).oauth]).toBe('')

    const row = await userByEmail(user.email)
    expect(row?.emailVerifiedAt).toBeInstanceOf(Date)
    expect(row?.displayName).toBe('Ada Lovelace')
    expect(row?.passwordHash).toBeNull()
    const links = await t.db.sql`select user_id from oauth_accounts where provider = 'google' and subject = ${user.sub}`
    expect(links.map((l) => l.userId)).toEqual([row!.id])

    const me = await t.app.handle(request('/api/auth/me', { headers: browserWith(t.config, session.access!) }))
    expect(me.status).toBe(200)
    expect(await me.json()).toMatchObject({ id: row!.id, email: user.email, emailVerified: true })
  })

  test('the code is redeemed with client credentials, the registered redirect_uri and the PKCE verifier', async () => {
    const started = await startSignIn(t.app, t.config, 'google')
    const code = google.authorize(started.location, newGoogleUser())
    expect((await callback(t.app, t.config, 'google', { state: started.saved.s, code }, started.cookie)).status).toBe(302)

    expect(google.tokenRequests).toHaveLength(1)
    const [req] = google.tokenRequests
    expect(req!.method).toBe('POST')
    expect(req!.headers.get('content-type')).toBe('application/x-www-form-urlencoded')
    expect(basicCredentials(req!.headers)).toEqual(CLIENT)
    const form = new URLSearchParams(req!.body)
    expect(form.get('grant_type')).toBe('authorization_code')
    expect(form.get('code')).toBe(code)
    expect(form.get('redirect_uri')).toBe(REDIRECT_URI)
    expect(form.get('code_verifier')).toBe(started.saved.v)
    // No secret in the body when Basic auth is used.
    expect(form.has('client_secret')).toBe(false)
  })

  test('a callback without state is refused before the code is redeemed', async () => {
    const started = await startSignIn(t.app, t.config, 'google')
    const code = google.authorize(started.location, newGoogleUser())
    await expectCallbackFailure(await callback(t.app, t.config, 'google', { code }, started.cookie))
    expect(google.tokenRequests).toHaveLength(0)
  })

  test('a callback whose state differs from the cookie is refused before the code is redeemed', async () => {
    const started = await startSignIn(t.app, t.config, 'google')
    const code = google.authorize(started.location, newGoogleUser())
    const other = await startSignIn(t.app, t.config, 'google')
    await expectCallbackFailure(await callback(t.app, t.config, 'google', { state: other.saved.s, code }, started.cookie))
    expect(google.tokenRequests).toHaveLength(0)
  })

  test('a callback without the oauth cookie (another browser, or expired) is refused', async () => {
    const started = await startSignIn(t.app, t.config, 'google')
    const user = newGoogleUser()
    const code = google.authorize(started.location, user)
    await expectCallbackFailure(await callback(t.app, t.config, 'google', { state: started.saved.s, code }, null))
    expect(google.tokenRequests).toHaveLength(0)
    expect(await userByEmail(user.email)).toBeUndefined()
  })

  test('a callback with a cookie started for another provider is refused', async () => {
    const started = await startSignIn(t.app, t.config, 'google')
    const code = google.authorize(started.location, newGoogleUser())
    const forged = encodeSavedSignIn({ ...started.saved, p: 'github' }, t.config)
    await expectCallbackFailure(await callback(t.app, t.config, 'google', { state: started.saved.s, code }, forged))
    expect(google.tokenRequests).toHaveLength(0)
  })

  test('when Google rejects the PKCE verifier (invalid_grant), no session is set and no user is created', async () => {
    const started = await startSignIn(t.app, t.config, 'google')
    const user = newGoogleUser()
    const code = google.authorize(started.location, user)
    const wrongVerifier = encodeSavedSignIn({ ...started.saved, v: randomBytes(32).toString('base64url') }, t.config)

    await expectCallbackFailure(await callback(t.app, t.config, 'google', { state: started.saved.s, code }, wrongVerifier))

    expect(google.tokenRequests).toHaveLength(1)
    expect(await userByEmail(user.email)).toBeUndefined()
    expect(await t.db.sql`select 1 from oauth_accounts where subject = ${user.sub}`).toHaveLength(0)
  })

  test('a code that was already redeemed is refused the second time', async () => {
    const started = await startSignIn(t.app, t.config, 'google')
    const code = google.authorize(started.location, newGoogleUser())
    expect((await callback(t.app, t.config, 'google', { state: started.saved.s, code }, started.cookie)).status).toBe(302)
    await expectCallbackFailure(await callback(t.app, t.config, 'google', { state: started.saved.s, code }, started.cookie))
  })

  test('an ID token issued to another application (aud) is refused', async () => {
    const started = await startSignIn(t.app, t.config, 'google')
    const user = newGoogleUser()
    const code = google.authorize(started.location, user, {
      aud: '999999999-otherapp.apps.googleusercontent.com',
      azp: '999999999-otherapp.apps.googleusercontent.com',
    })
    await expectCallbackFailure(await callback(t.app, t.config, 'google', { state: started.saved.s, code }, started.cookie))
    expect(await userByEmail(user.email)).toBeUndefined()
  })

  test('an ID token whose nonce belongs to another sign-in is refused', async () => {
    const started = await startSignIn(t.app, t.config, 'google')
    const user = newGoogleUser()
    const code = google.authorize(started.location, user, { nonce: randomBytes(16).toString('base64url') })
    await expectCallbackFailure(await callback(t.app, t.config, 'google', { state: started.saved.s, code }, started.cookie))
    expect(await userByEmail(user.email)).toBeUndefined()
  })

  test('an ID token from another issuer or already expired is refused', async () => {
    for (const claims of [{ iss: 'https://evil.example.com' }, { exp: Math.floor(Date.now() / 1000) - 3600 }]) {
      const started = await startSignIn(t.app, t.config, 'google')
      const code = google.authorize(started.location, newGoogleUser(), claims)
      await expectCallbackFailure(await callback(t.app, t.config, 'google', { state: started.saved.s, code }, started.cookie))
    }
  })

  test('an unverified Google email does not create an account', async () => {
    const started = await startSignIn(t.app, t.config, 'google')
    const user = { ...newGoogleUser(), emailVerified: false }
    const code = google.authorize(started.location, user)
    const res = await callback(t.app, t.config, 'google', { state: started.saved.s, code }, started.cookie)
    expect(res.status).toBe(422)
    expect(((await res.json()) as { code: string }).code).toBe('oauth_email_unverified')
    expect(sessionCookies(res, t.config)).toEqual({ access: null, refresh: null })
    expect(await userByEmail(user.email)).toBeUndefined()
  })

  test('the user declining at Google (error=access_denied) is a 400 that does not redeem anything', async () => {
    const started = await startSignIn(t.app, t.config, 'google')
    await expectCallbackFailure(
      await callback(t.app, t.config, 'google', { error: 'access_denied', state: started.saved.s }, started.cookie),
    )
    expect(google.tokenRequests).toHaveLength(0)
  })

  test('returnTo that would leave the site becomes a same-site path', async () => {
    // A tab, LF or CR after the first slash is dropped by browsers, making `//evil.example`.
    const variants = [
      '//evil.com',
      '//evil.com/collections',
      '/\\evil.com',
      'https://evil.com/',
      'javascript:alert(1)',
      '/\t/evil.example/phish',
      '/\n/evil.example',
      '/\r/evil.example',
      '/\t\\evil.example',
      '/.//evil.example',
    ]
    for (const returnTo of variants) {
      const started = await startSignIn(t.app, t.config, 'google', returnTo)
      const code = google.authorize(started.location, newGoogleUser())
      const res = await callback(t.app, t.config, 'google', { state: started.saved.s, code }, started.cookie)
      expect(res.status).toBe(302)
      const location = res.headers.get('location')!
      expect(location).toBe('/collections')
      expect(new URL(location, PUBLIC_URL).origin).toBe(PUBLIC_URL)
    }
  })

  test('the oauth cookie is signed: a returnTo (or anything) changed in the browser is refused as a whole', async () => {
    const started = await startSignIn(t.app, t.config, 'google')
    const code = google.authorize(started.location, newGoogleUser())
    const [payload, signature] = started.cookie.split('.')
    expect(signature).toBeTruthy()
    const unsigned = Buffer.from(JSON.stringify({ ...started.saved, r: '/settings' })).toString('base64url')
    for (const cookie of [unsigned, `${unsigned}.${signature}`, `${payload}.${'A'.repeat(signature!.length)}`]) {
      await expectCallbackFailure(await callback(t.app, t.config, 'google', { state: started.saved.s, code }, cookie))
    }
    expect(google.tokenRequests).toHaveLength(0)
  })

  test('a returnTo forged into the cookie after start is still kept same-site', async () => {
    const started = await startSignIn(t.app, t.config, 'google')
    const code = google.authorize(started.location, newGoogleUser())
    const forged = encodeSavedSignIn({ ...started.saved, r: '//evil.com' }, t.config)
    const res = await callback(t.app, t.config, 'google', { state: started.saved.s, code }, forged)
    expect(res.status).toBe(302)
    expect(new URL(res.headers.get('location')!, PUBLIC_URL).origin).toBe(PUBLIC_URL)
  })

  test('signing in again with the same Google account reuses the user', async () => {
    const user = newGoogleUser()
    const ids: string[] = []
    for (let i = 0; i < 2; i++) {
      const started = await startSignIn(t.app, t.config, 'google')
      const code = google.authorize(started.location, user)
      expect((await callback(t.app, t.config, 'google', { state: started.saved.s, code }, started.cookie)).status).toBe(302)
      ids.push((await userByEmail(user.email))!.id)
    }
    expect(ids[1]).toBe(ids[0]!)
    expect(await t.db.sql`select 1 from users where email = ${user.email}`).toHaveLength(1)
  })
})
