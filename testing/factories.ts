// Fixture factories: users in known states, each with a live session and the
// headers to act as them (bearer for API-style calls, cookie+origin for browser-style).
import { createAccessTokens } from '../server/auth/accessTokens.ts'
import { cookieNames } from '../server/auth/cookies.ts'
import { hashPassword } from '../server/auth/passwords.ts'
import { startSession } from '../server/auth/sessions.ts'
import * as q from '../server/auth/sql.ts'
import type { Config } from '../server/platform/config.ts'
import type { Sql } from '../server/platform/db.ts'

export const TEST_PASSWORD = 'a perfectly fine passphrase'

export type TestUser = {
  id: string
  email: string
  password: string
  sessionId: string
  accessToken: string
  refreshToken: string
  bearer: Record<string, string>
  browser: Record<string, string>
}

let counter = 0

export async function makeUser(sql: Sql, config: Config, name = 'user', options: { verified?: boolean } = {}): Promise<TestUser> {
  const email = `${name}-${++counter}-${crypto.randomUUID().slice(0, 8)}@example.com`
  const user = await q.insertUser(sql, {
    email,
    displayName: name,
    passwordHash: await hashPassword(TEST_PASSWORD),
    emailVerified: options.verified ?? true,
  })
  const session = await startSession(sql, user!.id, { userAgent: 'test', ip: '127.0.0.1' })
  const tokens = createAccessTokens(config.JWT_SECRET!, config.PUBLIC_URL, config.ACCESS_TOKEN_TTL_SECONDS)
  const accessToken = await tokens.sign({ sub: user!.id, sid: session.sessionId })
  const names = cookieNames(config.PUBLIC_URL)
  return {
    id: user!.id,
    email,
    password: TEST_PASSWORD,
    sessionId: session.sessionId,
    accessToken,
    refreshToken: session.refreshToken,
    bearer: { authorization: `Bearer ${accessToken}` },
    browser: {
      cookie: `${names.access}=${accessToken}; ${names.refresh}=${session.refreshToken}`,
      origin: new URL(config.PUBLIC_URL).origin,
    },
  }
}

/** The usual cast: someone who owns things, someone given read access, and an outsider. */
export async function makeUsers(sql: Sql, config: Config): Promise<{ owner: TestUser; viewer: TestUser; stranger: TestUser }> {
  return {
    owner: await makeUser(sql, config, 'owner'),
    viewer: await makeUser(sql, config, 'viewer'),
    stranger: await makeUser(sql, config, 'stranger'),
  }
}

/** The cast of a shared collection: its owner, an editor, a viewer and someone who is not a member. */
export type Cast = { owner: TestUser; editor: TestUser; viewer: TestUser; stranger: TestUser }

export async function makeCast(sql: Sql, config: Config): Promise<Cast> {
  return {
    owner: await makeUser(sql, config, 'owner'),
    editor: await makeUser(sql, config, 'editor'),
    viewer: await makeUser(sql, config, 'viewer'),
    stranger: await makeUser(sql, config, 'stranger'),
  }
}

/** Set-Cookie values of a response as name -> value. */
export function responseCookies(res: Response): Record<string, string> {
  const out: Record<string, string> = {}
  for (const c of res.headers.getSetCookie()) {
    const [pair] = c.split(';')
    const i = pair!.indexOf('=')
    out[pair!.slice(0, i)] = pair!.slice(i + 1)
  }
  return out
}

type Handler = { handle(request: Request): Promise<Response> }

/** `call(user, path, init)` bound to an app (the one request helper; `ctx.call` is this bound to the test app): the request
 * carries the user's bearer token (or `init.headers` instead); `json` sets the body and its content type. */
export function caller(app: Handler) {
  return (user: Pick<TestUser, 'bearer'>, path: string, init: RequestInit & { json?: unknown } = {}) => {
    const { json, ...rest } = init
    const headers = new Headers({ ...user.bearer, ...(rest.headers as Record<string, string>) })
    if (json !== undefined) headers.set('content-type', 'application/json')
    return app.handle(
      new Request(`http://localhost${path}`, { ...rest, headers, body: json !== undefined ? JSON.stringify(json) : rest.body }),
    )
  }
}

/** A collection owned by `owner` with the given members already in it (as if they had accepted invitations). */
export async function makeCollection(
  ctx: { db: { sql: Sql } },
  owner: TestUser,
  options: { name?: string; members?: [TestUser, 'editor' | 'viewer'][] } = {},
): Promise<string> {
  const sql = ctx.db.sql
  const [row] = await sql<
    { id: string }[]
  >`insert into collections (owner_id, name) values (${owner.id}, ${options.name ?? 'Shared talks'}) returning id`
  await sql`insert into collection_members (collection_id, user_id, role) values (${row!.id}, ${owner.id}, 'owner')`
  for (const [user, role] of options.members ?? [])
    await sql`insert into collection_members (collection_id, user_id, role) values (${row!.id}, ${user.id}, ${role})`
  return row!.id
}
