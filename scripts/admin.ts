// Billing administration for operators: `bun scripts/admin.ts <command>` or
// `make admin ARGS="<command>"`. Reads DATABASE_URL (and Stripe settings for `sync`).
import { getUserIdByEmail } from '../server/auth/service.ts'
import { AdminError, grant, listPastDue, setPlan, showUser } from '../server/billing/admin.ts'
import { createBilling } from '../server/billing/billing.ts'
import { syncCustomer } from '../server/billing/syncCustomer.ts'
import { getAccount } from '../server/billing/sql.ts'
import { loadConfigOrExit } from '../server/platform/config.ts'
import { createSql } from '../server/platform/db.ts'

const USAGE = `usage: bun scripts/admin.ts <command>
  show <email>                          plan, period and usage against each limit
  set-plan <email> <plan|default>       put the account on a plan by hand (default: back to Stripe / DEFAULT_PLAN)
  grant <email> <dimension> <amount>    extra quota for the current period (videos, storage_bytes: for good)
                                        dimensions: videos, minutes, messages, storage_bytes
  past-due                              accounts whose payment failed, oldest first
  sync <email>                          re-read the account's subscription from Stripe`

const config = loadConfigOrExit()
if (!config.DATABASE_URL) {
  console.error('Set DATABASE_URL to the database to administer.')
  process.exit(78)
}
const sql = createSql(config.DATABASE_URL, { max: 2, applicationName: 'knowledgetree-admin' })
const billing = createBilling(config)
const actor = `admin-script:${process.env.SUDO_USER ?? process.env.USER ?? 'unknown'}`
const [command, email, ...rest] = process.argv.slice(2)

async function userId(address: string | undefined): Promise<string> {
  const id = address ? await getUserIdByEmail(sql, address) : null
  if (!id) throw new AdminError(`No user with the email ${address ?? '(none given)'}.`)
  return id
}

try {
  if (command === 'show') console.log(JSON.stringify(await showUser(sql, billing, await userId(email)), null, 2))
  else if (command === 'set-plan') {
    const plan = rest[0] === 'default' ? null : (rest[0] ?? '')
    await setPlan(sql, billing, await userId(email), plan, actor)
    console.log(`${email}: plan set to ${plan ?? 'default (Stripe or DEFAULT_PLAN)'}`)
  } else if (command === 'grant') {
    await grant(sql, billing, await userId(email), rest[0] ?? '', Number(rest[1]), actor)
    console.log(`${email}: granted ${rest[1]} ${rest[0]}`)
  } else if (command === 'past-due') {
    for (const row of await listPastDue(sql)) console.log(`${row.pastDueSince.toISOString()}  ${row.email}  ${row.planId ?? '-'}`)
  } else if (command === 'sync') {
    const account = await getAccount(sql, await userId(email))
    if (!account?.stripeCustomerId) throw new AdminError(`${email} has no Stripe customer.`)
    const result = await syncCustomer(sql, billing, account.stripeCustomerId)
    console.log(JSON.stringify(result?.after ?? null, null, 2))
  } else {
    console.error(USAGE)
    process.exitCode = command ? 64 : 0
  }
} catch (err) {
  if (!(err instanceof AdminError)) throw err
  console.error(err.message)
  process.exitCode = 65
} finally {
  await sql.end({ timeout: 5 })
}
