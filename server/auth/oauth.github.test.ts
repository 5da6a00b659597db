import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, test } from 'bun:test'
import { randomBytes, randomInt } from 'node:crypto'
import { makeUser, type TestUser } from '../../testing/factories.ts'
import {
  fakeGitHub,
  GITHUB_AUTHORIZE_URL,
  type FakeGitHub,
  type GitHubEmail,
  type GitHubUser,
} from '../../testing/oauthFixtures/fakeGitHub.ts'
import { basicCredentials, interceptFetch, type FetchInterceptor } from '../../testing/oauthFixtures/interceptFetch.ts'
import { browserWith, callback, sessionCookies, startSignIn } from '../../testing/oauthFixtures/oauthFlow.ts'
import { createTestApp, request, type TestApp } from '../../testing/testApp.ts'

const CLIENT = { id: 'Iv23liKtTestClient01', secret: '4f1c0d2e9b8a7c6d5e4f3a2b1c0d9e8f7a6b5c4d' }
const PUBLIC_URL = 'http://localhost:3000'
const REDIRECT_URI = `${PUBLIC_URL}/api/auth/oauth/github/callback`

let t: TestApp
let github: FakeGitHub
let net: FetchInterceptor

beforeAll(async () => {
  t = await createTestApp({ PUBLIC_URL, GITHUB_CLIENT_ID: CLIENT.id, GITHUB_CLIENT_SECRET: CLIENT.secret })
})
afterAll(() => t.close())
beforeEach(() => {
  github = fakeGitHub(CLIENT)
  net = interceptFetch(github.routes)
})
afterEach(() => net.restore())

const email = (address: string, primary: boolean, verified: boolean): GitHubEmail => ({
  email: address,
  primary,
  verified,
  visibility: primary ? 'private' : null,
})

function newGitHubUser(emails: GitHubEmail[]): GitHubUser {
  const n = randomBytes(3).toString('hex')
  return { id: randomInt(1_000_000, 2 ** 31), login: `octo-${n}`, name: `Octo ${n}`, emails }
}

/** Start → consent at GitHub → callback, as one browser would. */
async function signInWithGitHub(user: GitHubUser): Promise<Response> {
  const started = await startSignIn(t.app, t.config, 'github', '/collections')
  const code = github.authorize(started.location, user)
  return callback(t.app, t.config, 'github', { code, state: started.saved.s }, started.cookie)
}

async function userIdByEmail(address: string): Promise<string | undefined> {
  const [row] = await t.db.sql<{ id: string }[]>`select id from users where email = ${address}`
  return row?.id
}

async function githubLinks(subject: number): Promise<{ userId: string; email: string | null }[]> {
  return [
    ...(await t.db.sql<
      { userId: string; email: string | null }[]
    >`select user_id, email from oauth_accounts where provider = 'github' and subject = ${String(subject)}`),
  ]
}

const me = (u: TestUser) => t.app.handle(request('/api/auth/me', { headers: u.bearer }))
const passwordLogin = (address: string, password: string) =>
  t.app.handle(
    request('/api/auth/login', { method: 'POST', headers: { origin: PUBLIC_URL }, json: { email: address, password, mode: 'token' } }),
  )

describe('sign in with GitHub', () => {
  test('start redirects to GitHub with state, our redirect_uri and the email scope; no PKCE verifier is kept', async () => {
    const started = await startSignIn(t.app, t.config, 'github')
    expect(started.status).toBe(302)
    expect(`${started.location.origin}${started.location.pathname}`).toBe(GITHUB_AUTHORIZE_URL)
    expect(started.location.searchParams.get('client_id')).toBe(CLIENT.id)
    expect(started.location.searchParams.get('redirect_uri')).toBe(REDIRECT_URI)
    expect(started.location.searchParams.get('state')).toBe(started.saved.s)
    expect(started.location.searchParams.get('scope')?.split(' ')).toContain('user:email')
    expect(started.saved.v).toBeNull()
  })

  test('a full sign-in uses the primary verified email, not a verified secondary or an unverified one', async () => {
    const n = randomBytes(3).toString('hex')
    const user = newGitHubUser([
      email(`old-work-${n}@example.com`, false, true),
      email(`primary-${n}@example.com`, true, true),
      email(`typo-${n}@example.com`, false, false),
    ])

    const res = await signInWithGitHub(user)

    expect(res.status).toBe(302)
    expect(res.headers.get('location')).toBe('/collections')
    const session = sessionCookies(res, t.config)
    expect(session.access).not.toBeNull()
    const id = await userIdByEmail(`primary-${n}@example.com`)
    expect(id).toBeDefined()
    expect(await userIdByEmail(`old-work-${n}@example.com`)).toBeUndefined()
    expect(await githubLinks(user.id)).toEqual([{ userId: id!, email: `primary-${n}@example.com` }])
    const [row] = await t.db.sql<
      { displayName: string; emailVerifiedAt: Date | null }[]
    >`select display_name, email_verified_at from users where id = ${id!}`
    expect(row).toMatchObject({ displayName: user.name! })
    expect(row!.emailVerifiedAt).toBeInstanceOf(Date)
  })

  test('the code is redeemed with client credentials and redirect_uri, and the API is called with the issued token', async () => {
    const n = randomBytes(3).toString('hex')
    const started = await startSignIn(t.app, t.config, 'github')
    const code = github.authorize(started.location, newGitHubUser([email(`shape-${n}@example.com`, true, true)]))
    expect((await callback(t.app, t.config, 'github', { code, state: started.saved.s }, started.cookie)).status).toBe(302)

    expect(github.tokenRequests).toHaveLength(1)
    const [tokenReq] = github.tokenRequests
    expect(tokenReq!.headers.get('accept')).toBe('application/json')
    expect(basicCredentials(tokenReq!.headers)).toEqual(CLIENT)
    const form = new URLSearchParams(tokenReq!.body)
    expect(form.get('code')).toBe(code)
    expect(form.get('redirect_uri')).toBe(REDIRECT_URI)
    expect(github.apiRequests.map((r) => r.url.pathname).sort()).toEqual(['/user', '/user/emails'])
    for (const r of github.apiRequests) {
      expect(r.headers.get('authorization')).toMatch(/^Bearer gho_/)
      // GitHub refuses API requests without a User-Agent.
      expect(r.headers.get('user-agent')).toBeTruthy()
    }
  })

  test('a code GitHub does not accept (bad_verification_code, sent as HTTP 200) is a 400 with no session', async () => {
    const started = await startSignIn(t.app, t.config, 'github')
    const res = await callback(t.app, t.config, 'github', { code: 'e0f1a2b3c4d5e6f7a8b9', state: started.saved.s }, started.cookie)
    expect(res.status).toBe(400)
    expect(((await res.json()) as { code: string }).code).toBe('oauth_callback_failed')
    expect(sessionCookies(res, t.config)).toEqual({ access: null, refresh: null })
    expect(github.apiRequests).toHaveLength(0)
  })

  test('an unverified primary email does not take over the existing account with that email', async () => {
    const victim = await makeUser(t.db.sql, t.config, 'victim', { verified: true })
    const attacker = newGitHubUser([
      email(victim.email, true, false),
      email(`attacker-${randomBytes(3).toString('hex')}@example.com`, false, true),
    ])

    const res = await signInWithGitHub(attacker)

    expect(res.status).toBe(422)
    expect(((await res.json()) as { code: string }).code).toBe('oauth_email_unverified')
    expect(sessionCookies(res, t.config)).toEqual({ access: null, refresh: null })
    expect(await githubLinks(attacker.id)).toEqual([])
    expect((await me(victim)).status).toBe(200)
    expect((await passwordLogin(victim.email, victim.password)).status).toBe(200)
  })

  test('a verified primary email links to the existing verified user and leaves its sessions and password alone', async () => {
    const owner = await makeUser(t.db.sql, t.config, 'owner', { verified: true })
    const gh = newGitHubUser([email(owner.email, true, true)])

    const res = await signInWithGitHub(gh)

    expect(res.status).toBe(302)
    expect(await githubLinks(gh.id)).toEqual([{ userId: owner.id, email: owner.email }])
    const access = sessionCookies(res, t.config).access!
    const viaGitHub = await t.app.handle(request('/api/auth/me', { headers: browserWith(t.config, access) }))
    expect(((await viaGitHub.json()) as { id: string }).id).toBe(owner.id)
    expect((await me(owner)).status).toBe(200)
    expect((await passwordLogin(owner.email, owner.password)).status).toBe(200)
  })

  test('linking to an unverified local account drops its password, ends its sessions and marks the email verified', async () => {
    const squatter = await makeUser(t.db.sql, t.config, 'squatted', { verified: false })
    expect((await me(squatter)).status).toBe(200)
    const gh = newGitHubUser([email(squatter.email, true, true)])

    const res = await signInWithGitHub(gh)

    expect(res.status).toBe(302)
    expect(await githubLinks(gh.id)).toEqual([{ userId: squatter.id, email: squatter.email }])
    expect((await me(squatter)).status).toBe(401)
    const login = await passwordLogin(squatter.email, squatter.password)
    expect(login.status).toBe(401)
    const [row] = await t.db.sql<
      { passwordHash: string | null; emailVerifiedAt: Date | null }[]
    >`select password_hash, email_verified_at from users where id = ${squatter.id}`
    expect(row!.passwordHash).toBeNull()
    expect(row!.emailVerifiedAt).toBeInstanceOf(Date)
    const reasons = await t.db.sql<{ revokedReason: string | null }[]>`select revoked_reason from sessions where id = ${squatter.sessionId}`
    expect([...reasons]).toEqual([{ revokedReason: 'account_linked' }])
    // The session the GitHub sign-in just started is the one that works.
    const fresh = await t.app.handle(request('/api/auth/me', { headers: browserWith(t.config, sessionCookies(res, t.config).access!) }))
    expect(fresh.status).toBe(200)
  })

  test('a second sign-in with the same GitHub id finds the user even after the primary email changed', async () => {
    const n = randomBytes(3).toString('hex')
    const gh = newGitHubUser([email(`first-${n}@example.com`, true, true)])
    expect((await signInWithGitHub(gh)).status).toBe(302)
    const id = await userIdByEmail(`first-${n}@example.com`)

    const res = await signInWithGitHub({ ...gh, emails: [email(`second-${n}@example.com`, true, true)] })

    expect(res.status).toBe(302)
    expect(await userIdByEmail(`second-${n}@example.com`)).toBeUndefined()
    expect((await githubLinks(gh.id)).map((l) => l.userId)).toEqual([id!])
  })
})
