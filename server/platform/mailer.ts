// Outgoing email over SMTP (nodemailer). Without SMTP_URL, outside production,
// messages are written to the log so `make dev` shows the links.
import nodemailer from 'nodemailer'
import type { Config } from './config.ts'
import type { Logger } from './logger.ts'

export type Email = { to: string; subject: string; text: string; html?: string }
export type Mailer = { send(email: Email): Promise<void> }

export function createMailer(config: Pick<Config, 'SMTP_URL' | 'MAIL_FROM' | 'NODE_ENV'>, logger: Logger): Mailer {
  if (!config.SMTP_URL) {
    return {
      async send(email) {
        if (config.NODE_ENV === 'production') {
          logger.error('email not sent: SMTP_URL is not configured', { subject: email.subject })
          return
        }
        // Deliberately the whole text: in development this is how you click the link.
        logger.info('email (SMTP_URL not set, so it is printed instead of sent)', { to: email.to, subject: email.subject, body: email.text })
      },
    }
  }
  const transport = nodemailer.createTransport(config.SMTP_URL)
  return {
    async send(email) {
      await transport.sendMail({ from: config.MAIL_FROM, to: email.to, subject: email.subject, text: email.text, html: email.html })
    },
  }
}
