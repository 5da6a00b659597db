// Runs the Stripe emulator on its own, for trying billing locally without a
// Stripe account. The first line of stdout is the base URL; the webhook secret
// follows on the second. Then `make stripe-sync` and start the api with
// STRIPE_SECRET_KEY=sk_test_… STRIPE_API_BASE=<url> STRIPE_WEBHOOK_SECRET=<secret>.
import { parseArgs } from 'node:util'
import { startStripeEmulator } from './emulator.ts'

const USAGE = `usage: bun testing/stripe/cli.ts [options]
  --port <n>               port to listen on (default 12111; 0 picks a free one)
  --host <address>         address to bind (default 127.0.0.1)
  --webhook <url>          deliver events here (e.g. http://localhost:3000/api/billing/webhook)
  --webhook-secret <s>     signing secret for that endpoint (default: a fresh whsec_…)
  --help`

const { values: args } = parseArgs({
  options: {
    port: { type: 'string', default: '12111' },
    host: { type: 'string', default: '127.0.0.1' },
    webhook: { type: 'string' },
    'webhook-secret': { type: 'string' },
    help: { type: 'boolean', default: false },
  },
})
if (args.help) {
  console.error(USAGE)
  process.exit(0)
}
const emulator = await startStripeEmulator({ port: Number(args.port), hostname: args.host, retryDelaysMs: [1000, 5000, 30_000] })
const endpoint = args.webhook ? emulator.addWebhookEndpoint({ url: args.webhook, secret: args['webhook-secret'] }) : null
console.log(emulator.url)
if (endpoint) console.log(endpoint.secret)
console.error(`stripe emulator on ${emulator.url}${endpoint ? `, delivering webhooks to ${endpoint.url}` : ''}`)
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => void emulator.stop().then(() => process.exit(0)))
