// Routes of the auth capability: signing up and in (password, email links,
// external providers), refresh and logout. What a signed-in user does to their
// own account and sessions is accountRoutes.ts, mounted here after these.
import { Elysia, t } from 'elysia'
import type { Sql } from '../platform/db.ts'
import { NotFoundError, UnauthorizedError } from '../platform/errors.ts'
import type { ClientAddress } from '../platform/clientAddress.ts'
import type { UploadMeter } from '../platform/quotaGate.ts'
import { safeEqual } from '../platform/safeEqual.ts'
import { safeReturnTo } from '../platform/sameSitePath.ts'
import type { AccessTokenSigner } from './accessTokens.ts'
import { accountRoutes } from './accountRoutes.ts'
import { clearOAuthCookie, clearSessionCookies, cookieValue, setOAuthCookie, setSessionCookies, type CookieNames } from './cookies.ts'
import { authContext } from './guard.ts'
import { AuthModel } from './model.ts'
import { oauthCookieCodec, type SavedSignIn } from './oauthCookie.ts'
import { asCallbackError, OAuthCallbackError, type OAuthProvider, type ProviderId } from './oauth.ts'
import * as service from './service.ts'
import { rotateRefreshToken, sessionOfRefreshToken, startSession, type IssuedSession } from './sessions.ts'
import * as q from './sql.ts'
import { ACCEPTED, providerView, userView } from './views.ts'

export type AuthRouteDeps = {
  /** Keys the OAuth state cookie's signature (JWT_SECRET). */
  cookieSecret: string
  sql: Sql
  /** Queues account email (the worker sends it). */
  outbox: service.MailOutbox
  tokens: AccessTokenSigner
  cookies: CookieNames
  publicUrl: string
  clientIp: ClientAddress
  providers: Map<ProviderId, OAuthProvider>
  /** Gives back upload quota of the videos in collections an account deletion removes. */
  meter?: UploadMeter
}

export function authRoutes(deps: AuthRouteDeps) {
  const client = (request: Request) => ({ userAgent: request.headers.get('user-agent')?.slice(0, 512) ?? null, ip: deps.clientIp(request) })
  const accessFor = (s: IssuedSession) => deps.tokens.sign({ sub: s.userId, sid: s.sessionId })
  const appOrigin = new URL(deps.publicUrl).origin
  const oauthCookie = oauthCookieCodec(deps.cookieSecret)

  return new Elysia({ name: 'auth', prefix: '/api/auth' })
    .use(authContext)
    .get(
      '/providers',
      () => ({
        password: true,
        providers: [...deps.providers.values()].map(providerView),
      }),
      { detail: { summary: 'Sign-in methods offered', tags: ['auth'] } },
    )
    .post(
      '/signup',
      async ({ body, request, set }) => {
        await service.signUp({ sql: deps.sql, outbox: deps.outbox }, body, deps.clientIp(request))
        set.status = 202
        return ACCEPTED
      },
      {
        body: AuthModel.signup,
        response: { 202: AuthModel.accepted },
        detail: { summary: 'Create an account (answers the same whether or not the email is taken)', tags: ['auth'] },
      },
    )
    .post(
      '/login',
      async ({ body, request, cookie }) => {
        const user = await service.logIn({ sql: deps.sql, outbox: deps.outbox }, body, deps.clientIp(request))
        const session = await startSession(deps.sql, user.id, client(request))
        const accessToken = await accessFor(session)
        if (body.mode === 'token')
          return { user: userView(user), accessToken, refreshToken: session.refreshToken, expiresIn: deps.tokens.ttlSeconds }
        setSessionCookies(cookie as never, deps.cookies, {
          accessToken,
          accessTtlSeconds: deps.tokens.ttlSeconds,
          refreshToken: session.refreshToken,
          expiresAt: session.expiresAt,
        })
        return { user: userView(user), expiresIn: deps.tokens.ttlSeconds }
      },
      { body: AuthModel.login, detail: { summary: 'Sign in with email and password', tags: ['auth'] } },
    )
    .post(
      '/refresh',
      async ({ body, request, cookie }) => {
        const fromBody = body?.refreshToken ?? null
        const presented = fromBody ?? cookieValue(cookie as never, deps.cookies.refresh)
        if (!presented) {
          clearSessionCookies(cookie as never, deps.cookies)
          throw new UnauthorizedError('No refresh token. Sign in again.', 'session_invalid')
        }
        let session: IssuedSession
        try {
          session = await rotateRefreshToken(deps.sql, presented, client(request))
        } catch (err) {
          if (!fromBody) clearSessionCookies(cookie as never, deps.cookies)
          throw err
        }
        const accessToken = await accessFor(session)
        if (fromBody) return { accessToken, refreshToken: session.refreshToken, expiresIn: deps.tokens.ttlSeconds }
        setSessionCookies(cookie as never, deps.cookies, {
          accessToken,
          accessTtlSeconds: deps.tokens.ttlSeconds,
          refreshToken: session.refreshToken,
          expiresAt: session.expiresAt,
        })
        return { expiresIn: deps.tokens.ttlSeconds }
      },
      { body: AuthModel.refresh, detail: { summary: 'Rotate the refresh token and get a new access token', tags: ['auth'] } },
    )
    .post(
      '/logout',
      async ({ body, cookie, set }) => {
        const presented =
          (body as { refreshToken?: string } | undefined)?.refreshToken ?? cookieValue(cookie as never, deps.cookies.refresh)
        const owner = presented ? await sessionOfRefreshToken(deps.sql, presented) : null
        if (owner) await q.revokeSession(deps.sql, owner.sessionId, 'logout')
        clearSessionCookies(cookie as never, deps.cookies)
        set.status = 204
      },
      { body: AuthModel.refresh, detail: { summary: 'End this session', tags: ['auth'] } },
    )
    .post(
      '/verify-email',
      async ({ body }) => {
        const outcome = await service.verifyEmail({ sql: deps.sql, outbox: deps.outbox }, body.token)
        return outcome === 'already'
          ? { message: 'Your email address is already confirmed.', alreadyVerified: true }
          : { message: 'Your email address is verified.', alreadyVerified: false }
      },
      {
        body: AuthModel.token,
        response: AuthModel.verified,
        detail: { summary: 'Confirm an email address with the emailed token (a used link of a confirmed address says so)', tags: ['auth'] },
      },
    )
    .post(
      '/password-reset',
      async ({ body, request, set }) => {
        await service.requestPasswordReset({ sql: deps.sql, outbox: deps.outbox }, body.email, deps.clientIp(request))
        set.status = 202
        return ACCEPTED
      },
      {
        body: AuthModel.resetRequest,
        response: { 202: AuthModel.accepted },
        detail: { summary: 'Email a password-reset link (answers the same whether or not the email exists)', tags: ['auth'] },
      },
    )
    .post(
      '/password-reset/confirm',
      async ({ body, cookie }) => {
        await service.resetPassword({ sql: deps.sql, outbox: deps.outbox }, body.token, body.password)
        clearSessionCookies(cookie as never, deps.cookies)
        return { message: 'Your password is changed and every session is signed out. Sign in with the new password.' }
      },
      {
        body: AuthModel.resetConfirm,
        detail: { summary: 'Set a new password with the emailed token; ends every session', tags: ['auth'] },
      },
    )
    .get(
      '/oauth/:provider/start',
      async ({ params, query, cookie, redirect }) => {
        const provider = deps.providers.get(params.provider as ProviderId)
        if (!provider) throw new NotFoundError('Sign-in provider')
        const started = await provider.start()
        const saved: SavedSignIn = {
          p: provider.id,
          s: started.state,
          v: started.codeVerifier,
          n: started.nonce,
          r: safeReturnTo(query.returnTo, { origin: appOrigin }),
        }
        setOAuthCookie(cookie as never, deps.cookies, oauthCookie.encode(saved))
        return redirect(started.url.toString(), 302)
      },
      {
        params: t.Object({ provider: t.String({ maxLength: 20 }) }),
        query: AuthModel.oauthStartQuery,
        detail: { summary: 'Start signing in with a provider (redirects)', tags: ['auth'] },
      },
    )
    .get(
      '/oauth/:provider/callback',
      async ({ params, query, cookie, request, redirect }) => {
        const provider = deps.providers.get(params.provider as ProviderId)
        if (!provider) throw new NotFoundError('Sign-in provider')
        // Signed: a cookie changed in the browser (provider, verifier, returnTo) is refused whole.
        const saved = oauthCookie.decode(cookieValue(cookie as never, deps.cookies.oauth))
        clearOAuthCookie(cookie as never, deps.cookies)
        if (query.error) throw new OAuthCallbackError(`${provider.label} did not complete the sign-in (${query.error.slice(0, 100)}).`)
        if (!saved || saved.p !== provider.id)
          throw new OAuthCallbackError('The sign-in session expired or was started in another browser.')
        if (!query.state || !safeEqual(query.state, saved.s)) throw new OAuthCallbackError('The sign-in state does not match.')
        if (!query.code) throw new OAuthCallbackError('The provider did not return an authorization code.')
        let identity: service.ExternalIdentity
        try {
          identity = await provider.finish(query.code, { codeVerifier: saved.v, nonce: saved.n })
        } catch (err) {
          throw asCallbackError(err)
        }
        const user = await service.signInWithIdentity(deps.sql, identity)
        const session = await startSession(deps.sql, user.id, client(request))
        setSessionCookies(cookie as never, deps.cookies, {
          accessToken: await accessFor(session),
          accessTtlSeconds: deps.tokens.ttlSeconds,
          refreshToken: session.refreshToken,
          expiresAt: session.expiresAt,
        })
        return redirect(safeReturnTo(saved.r, { origin: appOrigin }), 302)
      },
      {
        params: t.Object({ provider: t.String({ maxLength: 20 }) }),
        query: AuthModel.oauthCallbackQuery,
        detail: { summary: 'Provider redirects here; signs in and redirects to the app', tags: ['auth'] },
      },
    )
    .use(accountRoutes(deps))
}
