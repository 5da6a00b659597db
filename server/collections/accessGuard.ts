// Applies the role matrix to every request, right after the auth guard and
// before body validation: a non-member gets 404 and a member below the role
// 403 whatever the body holds. Handlers of `member` routes receive `access`
// (the collection, the caller's role and, for personal things, whose they are).
// A route without a rule is refused: new routes are closed until listed.
import { Elysia } from 'elysia'
import type { Auth } from '../auth/guard.ts'
import type { Sql } from '../platform/db.ts'
import { AppError } from '../platform/errors.ts'
import { authorize, type Access, type TargetResolvers } from './access.ts'
import { accessRuleFor } from './accessRules.ts'

export function accessGuard(deps: { sql: Sql; targets: TargetResolvers }) {
  return new Elysia({ name: 'access-guard' }).derive({ as: 'global' }, async (ctx) => {
    const { request, route } = ctx
    const rule = accessRuleFor(request.method, route)
    if (!rule) throw new AppError(500, 'access_rule_missing', 'Internal server error', `No access rule for ${request.method} ${route}.`)
    // Routes without a collection leave `access` unset; the cast keeps member handlers free of null checks.
    if (rule.kind !== 'member') return { access: null as unknown as Access }
    const { auth } = ctx as unknown as { auth: Auth }
    return { access: await authorize(deps.sql, deps.targets, auth.userId, rule, { params: ctx.params as Record<string, string>, body: ctx.body }) }
  })
}

/** Types only: gives a capability's handlers `access`, set by the global guard above. */
export const accessContext = new Elysia({ name: 'access-context' }).derive({ as: 'scoped' }, () => ({}) as { access: Access })
