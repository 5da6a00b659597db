// What a signed-in user does to their own account: profile, password, deletion,
// verification email, and their sessions. Every route here needs `auth` (none
// is on guard.ts's public list). Mounted by authRoutes under /api/auth.
import { Elysia, t } from 'elysia'
import type { Sql } from '../platform/db.ts'
import { NotFoundError } from '../platform/errors.ts'
import type { UploadMeter } from '../platform/quotaGate.ts'
import { clearSessionCookies, type CookieNames } from './cookies.ts'
import { authContext } from './guard.ts'
import { AuthModel } from './model.ts'
import * as settings from './accountSettings.ts'
import * as service from './service.ts'
import * as q from './sql.ts'
import { ACCEPTED, sessionView, userView } from './views.ts'

type AccountRouteDeps = {
  sql: Sql
  /** Queues account email (the worker sends it). */
  outbox: service.MailOutbox
  cookies: CookieNames
  /** Gives back upload quota of the videos in collections an account deletion removes. */
  meter?: UploadMeter
}

export function accountRoutes(deps: AccountRouteDeps) {
  return new Elysia({ name: 'auth-account' })
    .use(authContext)
    .get(
      '/me',
      async ({ auth }) => {
        const user = await q.getUserById(deps.sql, auth.userId)
        if (!user) throw new NotFoundError('User')
        return userView(user)
      },
      { response: AuthModel.user, detail: { summary: 'The signed-in user', tags: ['auth'] } },
    )
    .patch('/me', ({ auth, body }) => settings.changeDisplayName(deps.sql, auth.userId, body.displayName), {
      body: AuthModel.profile,
      response: AuthModel.user,
      detail: { summary: 'Change your display name', tags: ['auth'] },
    })
    .post(
      '/password',
      async ({ auth, body }) => {
        const { endedSessions } = await settings.changePassword(deps.sql, auth.userId, auth.sessionId, body)
        return { message: 'Your password is changed. Every other session is signed out.', endedSessions }
      },
      {
        body: AuthModel.passwordChange,
        response: AuthModel.passwordChanged,
        detail: { summary: 'Change your password (asks for the current one); ends your other sessions', tags: ['auth'] },
      },
    )
    .get('/me/deletion', ({ auth }) => settings.deletionSummary(deps.sql, auth.userId), {
      response: AuthModel.deletionSummary,
      detail: { summary: 'What deleting your account would delete, and whether it can be deleted now', tags: ['auth'] },
    })
    .delete(
      '/me',
      async ({ auth, body, cookie, set }) => {
        await settings.deleteAccount({ sql: deps.sql, meter: deps.meter }, auth.userId, body)
        clearSessionCookies(cookie as never, deps.cookies)
        set.status = 204
      },
      {
        body: AuthModel.deletion,
        detail: {
          summary: 'Delete your account and everything it owns (confirm with your password, or your address without one)',
          tags: ['auth'],
        },
      },
    )
    .post(
      '/verify-email/resend',
      async ({ auth, set }) => {
        await service.resendVerification({ sql: deps.sql, outbox: deps.outbox }, auth.userId)
        set.status = 202
        return ACCEPTED
      },
      { detail: { summary: 'Send the verification email again', tags: ['auth'] } },
    )
    .get(
      '/sessions',
      async ({ auth }) => {
        return (await q.listActiveSessions(deps.sql, auth.userId)).map((s) => sessionView(s, auth.sessionId))
      },
      { response: t.Array(AuthModel.session), detail: { summary: 'Your signed-in sessions', tags: ['auth'] } },
    )
    .delete(
      '/sessions/:id',
      async ({ auth, params, set }) => {
        const n = await q.revokeSession(deps.sql, params.id, 'revoked', auth.userId)
        if (n === 0) throw new NotFoundError('Session')
        set.status = 204
      },
      { params: t.Object({ id: t.String({ format: 'uuid' }) }), detail: { summary: 'Sign out one session', tags: ['auth'] } },
    )
    .post(
      '/logout-all',
      async ({ auth, cookie, set }) => {
        await q.revokeAllSessions(deps.sql, auth.userId, 'logout_all')
        clearSessionCookies(cookie as never, deps.cookies)
        set.status = 204
      },
      { detail: { summary: 'Sign out everywhere', tags: ['auth'] } },
    )
}
