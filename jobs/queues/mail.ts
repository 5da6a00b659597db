// mail: sends one email (account links minted in server/auth/accountMail.ts,
// invitation links in server/sharing/invitationMail.ts).
// An SMTP failure throws, so pg-boss retries with backoff and, after the last
// attempt, moves the job to `mail.dead` (counted on /metrics).
import { deliverMail } from '../../server/auth/accountMail.ts'
import type { Config } from '../../server/platform/config.ts'
import type { Logger } from '../../server/platform/logger.ts'
import { createMailer, type Mailer } from '../../server/platform/mailer.ts'
import { deliverInvitation } from '../../server/sharing/invitationMail.ts'
import type { JobHandler } from '../worker.ts'

// One SMTP transport per configuration (per worker process), not one per email.
const mailers = new WeakMap<Config, Mailer>()
function mailerFor(config: Config, logger: Logger): Mailer {
  let mailer = mailers.get(config)
  if (!mailer) mailers.set(config, (mailer = createMailer(config, logger)))
  return mailer
}

export const mail: JobHandler<'mail'> = async (job, { sql, config, logger }) => {
  const deps = { sql, mailer: mailerFor(config, logger), publicUrl: config.PUBLIC_URL }
  if (job.kind === 'invitation') await deliverInvitation(deps, job)
  else await deliverMail(deps, job)
}
