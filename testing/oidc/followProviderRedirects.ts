// Plays the browser at the identity provider: follows its redirects by hand,
// keeping the provider's cookies, until it sends the browser back to us.
export type CookieJar = Map<string, string>

function store(jar: CookieJar, res: Response): void {
  for (const line of res.headers.getSetCookie()) {
    const [pair, ...attrs] = line.split(';')
    const i = pair!.indexOf('=')
    const name = pair!.slice(0, i).trim()
    const expired = attrs.some(
      (a) => /^\s*max-age=0\s*$/i.test(a) || (/^\s*expires=/i.test(a) && Date.parse(a.split('=')[1]!) < Date.now()),
    )
    if (expired) jar.delete(name)
    else jar.set(name, pair!.slice(i + 1))
  }
}

/** Follows redirects from `url` until one points under `returnPrefix`, and returns that URL. */
export async function followProviderRedirects(url: URL, returnPrefix: string, jar: CookieJar = new Map(), maxHops = 10): Promise<URL> {
  let next = url
  for (let hop = 0; hop < maxHops; hop++) {
    if (next.href.startsWith(returnPrefix)) return next
    const cookie = [...jar].map(([k, v]) => `${k}=${v}`).join('; ')
    const res = await fetch(next, { redirect: 'manual', headers: cookie ? { cookie } : {} })
    store(jar, res)
    const location = res.headers.get('location')
    if (res.status < 300 || res.status >= 400 || !location)
      throw new Error(`provider answered ${res.status} at ${next.pathname}: ${(await res.text()).slice(0, 300)}`)
    await res.body?.cancel()
    next = new URL(location, next)
  }
  throw new Error(`no redirect to ${returnPrefix} after ${maxHops} hops`)
}
