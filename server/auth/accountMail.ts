// Sends the email of one `mail` job (run by the worker, never by a request).
// A request only enqueues the job, so the time it takes does not depend on
// whether the address has an account, and a slow SMTP server slows nobody's
// request. Tokens are minted here, so links exist only in the email itself.
import type { Sql } from '../platform/db.ts'
import type { Mailer } from '../platform/mailer.ts'
import type { MailJob } from '../platform/queues.ts'
import { consumeLimits, type Limit } from '../platform/rateLimits.ts'
import { alreadyRegisteredEmail, passwordResetEmail, verificationEmail } from './emails.ts'
import { hashToken, newOpaqueToken } from './secureTokens.ts'
import * as q from './sql.ts'

export const VERIFY_TOKEN_TTL_SECONDS = 24 * 3600
export const RESET_TOKEN_TTL_SECONDS = 3600

export type MailDeps = { sql: Sql; mailer: Mailer; publicUrl: string }

// Silent per-address cap on emails, so the reset form cannot be used to flood an inbox.
const mailLimit = (email: string): Limit[] => [{ key: `mail:${email}`, max: 5, windowSeconds: 3600 }]

async function mayEmail(sql: Sql, email: string): Promise<boolean> {
  try {
    await consumeLimits(sql, mailLimit(email))
    return true
  } catch {
    return false
  }
}

/** Sends what the job asks for, or nothing when it no longer applies (no such account, already verified, over the cap). */
export async function deliverMail(deps: MailDeps, job: MailJob): Promise<void> {
  switch (job.kind) {
    case 'message':
      return deps.mailer.send({ to: job.to, subject: job.subject, text: job.text })
    case 'already-registered':
      if (await mayEmail(deps.sql, job.email)) await deps.mailer.send(alreadyRegisteredEmail(job.email, deps.publicUrl))
      return
    case 'verify-email': {
      const user = await q.getUserById(deps.sql, job.userId)
      if (!user || user.emailVerifiedAt || !(await mayEmail(deps.sql, user.email))) return
      const token = newOpaqueToken()
      await q.insertEmailToken(deps.sql, {
        tokenHash: hashToken(token),
        userId: user.id,
        purpose: 'verify_email',
        email: user.email,
        ttlSeconds: VERIFY_TOKEN_TTL_SECONDS,
      })
      return deps.mailer.send(verificationEmail(user.email, deps.publicUrl, token))
    }
    case 'password-reset': {
      const user = await q.getUserByEmail(deps.sql, job.email)
      if (!user || !(await mayEmail(deps.sql, job.email))) return
      const token = newOpaqueToken()
      await q.insertEmailToken(deps.sql, {
        tokenHash: hashToken(token),
        userId: user.id,
        purpose: 'reset_password',
        email: job.email,
        ttlSeconds: RESET_TOKEN_TTL_SECONDS,
      })
      return deps.mailer.send(passwordResetEmail(job.email, deps.publicUrl, token))
    }
  }
}
