// Sends the email of one invitation (a `mail` job, run by the worker, never by
// a request): a slow SMTP server slows nobody's request, a failed send is
// retried and, after the last attempt, dead-lettered like account email. The
// link's token is minted here, so it exists only in the email, not in the job
// table; an invitation revoked, answered or expired before the job runs sends nothing.
import { getAccount } from '../auth/service.ts'
import { hashToken, newOpaqueToken } from '../auth/secureTokens.ts'
import type { Sql } from '../platform/db.ts'
import type { Mailer } from '../platform/mailer.ts'
import { invitationEmail } from './emails.ts'
import * as q from './sql.ts'

export type InvitationMailDeps = { sql: Sql; mailer: Mailer; publicUrl: string }

export async function deliverInvitation(deps: InvitationMailDeps, job: { inviteId: string; inviterId: string }): Promise<void> {
  const token = newOpaqueToken()
  const invite = await q.rekeyEmailInvite(deps.sql, job.inviteId, hashToken(token))
  if (!invite?.email) return
  const inviterName = (await getAccount(deps.sql, job.inviterId))?.displayName ?? 'Someone'
  const collectionName = (await q.getCollectionName(deps.sql, invite.collectionId)) ?? 'a collection'
  await deps.mailer.send(
    invitationEmail(invite.email, { publicUrl: deps.publicUrl, token, inviterName, collectionName, role: invite.role }),
  )
}
