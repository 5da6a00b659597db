// Ids shaped like the API's (`msg_…`, `req_…`: a prefix, `01` and 22 base62 chars),
// so code that logs or stores them sees realistic values.

const ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz'

export function randomId(prefix: 'msg' | 'req'): string {
  const bytes = crypto.getRandomValues(new Uint8Array(22))
  let id = ''
  for (const byte of bytes) id += ALPHABET[byte % ALPHABET.length]
  return `${prefix}_01${id}`
}
