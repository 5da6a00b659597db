// Ids shaped like Stripe's (`cus_…`, `price_…`, `cs_test_…`): a prefix and
// random base62, so code that stores or logs them sees realistic values.

const ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz'

function base62(length: number): string {
  const bytes = crypto.getRandomValues(new Uint8Array(length))
  let out = ''
  for (const byte of bytes) out += ALPHABET[byte % ALPHABET.length]
  return out
}

/** Checkout Session ids are long (`cs_test_a1…`, 66 characters); the rest are a prefix and 24 characters. */
export function stripeId(prefix: string): string {
  if (prefix === 'cs') return `cs_test_a1${base62(58)}`
  if (prefix === 'whsec') return `whsec_${base62(32)}`
  return `${prefix}_${base62(24)}`
}
