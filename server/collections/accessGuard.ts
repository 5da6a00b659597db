// Applies the role matrix to every request, right after the auth guard and
// before body validation: an API key outside its scope gets 403, a non-member
// 404 and a member below the role 403, whatever the body holds. Handlers of `member` routes receive `access`
// (the collection, the caller's role and, for personal things, whose they are).
// A route without a rule is refused: new routes are closed until listed.
import { Elysia } from 'elysia'
import type { Auth } from '../auth/guard.ts'
import type { Sql } from '../platform/db.ts'
import { AppError, ForbiddenError } from '../platform/errors.ts'
import { authorize, type Access, type TargetResolvers } from './access.ts'
import { accessRuleFor, type AccessRule, type Scope } from './accessRules.ts'

/** An API key acts as its user cut down to its scope, and never manages the account. */
function checkApiKeyScope(rule: AccessRule, scope: Scope): void {
  if (rule.kind === 'account')
    throw new ForbiddenError(
      'API keys cannot manage an account (password, sessions, keys, billing). Sign in to do this.',
      'api_key_not_allowed',
    )
  if (rule.kind !== 'public' && rule.scope === 'write' && scope === 'read')
    throw new ForbiddenError('This API key is read-only; this needs a key with the write scope.', 'api_key_scope')
}

export function accessGuard(deps: { sql: Sql; targets: TargetResolvers }) {
  return new Elysia({ name: 'access-guard' }).derive({ as: 'global' }, async (ctx) => {
    const { request, route } = ctx
    const rule = accessRuleFor(request.method, route)
    if (!rule) throw new AppError(500, 'access_rule_missing', 'Internal server error', `No access rule for ${request.method} ${route}.`)
    const { auth } = ctx as unknown as { auth: Auth | null }
    if (auth?.apiKey) checkApiKeyScope(rule, auth.apiKey.scope)
    // Routes without a collection leave `access` unset; the cast keeps member handlers free of null checks.
    if (rule.kind !== 'member' || !auth) return { access: null as unknown as Access }
    return {
      access: await authorize(deps.sql, deps.targets, auth.userId, rule, { params: ctx.params as Record<string, string>, body: ctx.body }),
    }
  })
}

/** Types only: gives a capability's handlers `access`, set by the global guard above. */
export const accessContext = new Elysia({ name: 'access-context' }).derive({ as: 'scoped' }, () => ({}) as { access: Access })
