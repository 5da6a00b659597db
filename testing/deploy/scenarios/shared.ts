// What the scenarios share once the site is up: an account with a collection
// whose transcript the workers processed, made through the public site.
import { collectionWithTranscript, signUp, type Account } from '../siteClient.ts'

let ready: Promise<{ account: Account; collectionId: string }> | null = null

export function siteData(): Promise<{ account: Account; collectionId: string }> {
  ready ??= (async () => {
    const account = await signUp()
    return { account, collectionId: await collectionWithTranscript(account) }
  })()
  return ready
}
