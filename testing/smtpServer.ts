// A real SMTP server (nodemailer's smtp-server) on loopback that keeps every
// message it receives, for tests of emailed links.
import { SMTPServer } from 'smtp-server'

export type ReceivedMail = { to: string[]; raw: string }
export type TestSmtp = {
  url: string
  messages: ReceivedMail[]
  waitFor(predicate: (m: ReceivedMail) => boolean): Promise<ReceivedMail>
  stop(): Promise<void>
}

/** `delayMs`: how long the server takes to accept each message (a slow mail relay). */
export async function startTestSmtp(options: { delayMs?: number } = {}): Promise<TestSmtp> {
  const messages: ReceivedMail[] = []
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    onData(stream, session, callback) {
      const chunks: Buffer[] = []
      stream.on('data', (c: Buffer) => chunks.push(c))
      stream.on('end', () => {
        messages.push({ to: session.envelope.rcptTo.map((r) => r.address), raw: Buffer.concat(chunks).toString('utf8') })
        setTimeout(callback, options.delayMs ?? 0)
      })
    },
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const port = (server.server.address() as { port: number }).port
  return {
    url: `smtp://127.0.0.1:${port}`,
    messages,
    async waitFor(predicate) {
      // Mail goes out from a worker that polls once a second: allow for a loaded machine.
      for (let i = 0; i < 400; i++) {
        const m = messages.find(predicate)
        if (m) return m
        await Bun.sleep(50)
      }
      throw new Error('no matching email arrived')
    },
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  }
}

/** The first link in a (quoted-printable) email that starts with `prefix`. */
export function linkIn(mail: ReceivedMail, prefix: string): string {
  const body = mail.raw.replace(/=\r?\n/g, '').replace(/=3D/g, '=')
  const i = body.indexOf(prefix)
  if (i < 0) throw new Error(`no ${prefix} link in the email`)
  return body.slice(i).split(/\s/)[0]!
}
