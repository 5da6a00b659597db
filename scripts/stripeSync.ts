// `make stripe-sync` / `bun scripts/stripeSync.ts`: creates or updates the plan
// catalogue's Products and Prices in the Stripe account of STRIPE_SECRET_KEY
// (test or live mode alike; STRIPE_API_URL for the emulator). Idempotent.
import { resolve } from 'node:path'
import { loadCatalogue } from '../server/billing/catalogue.ts'
import { syncCatalogue } from '../server/billing/catalogueSync.ts'
import { createStripe } from '../server/billing/stripeClient.ts'
import { loadConfigOrExit } from '../server/platform/config.ts'

const config = loadConfigOrExit()
if (!config.STRIPE_SECRET_KEY) {
  console.error('STRIPE_SECRET_KEY is not set: billing is off, there is nothing to sync.')
  process.exit(78)
}
const catalogue = loadCatalogue(resolve(import.meta.dir, '..', config.PLANS_FILE))
const lines = await syncCatalogue(createStripe(config.STRIPE_SECRET_KEY, config.STRIPE_API_URL), catalogue)
for (const line of lines) console.log(`${line.action.padEnd(9)} ${line.what}`)
console.log(`catalogue ${catalogue.version}: ${lines.filter((l) => l.action !== 'unchanged').length} change(s)`)
