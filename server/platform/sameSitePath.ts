// Where a link or a redirect may send someone: only this site. Shared by the
// api (OAuth returnTo), the web app (login returnTo) and the answer Markdown
// renderer, so there is one rule. It has no imports: the web app bundles it.
//
// Prefix checks ("starts with / but not //") are not enough: browsers drop
// tab, LF and CR anywhere in a URL and read `\` as `/`, so `/\t/evil.example`
// becomes `//evil.example`. Instead the value is resolved the way a browser
// would, and only a result on the same origin is kept, re-serialised.

// Any fixed origin works as the base when the caller has none (server-side
// rendering): only "did it stay on the base origin" matters.
const PLACEHOLDER_ORIGIN = 'https://app.invalid'
// C0 controls, DEL, and the backslash that browsers treat as a slash.
const UNSAFE = /[\u0000-\u001f\u007f\\]/

/** True when a URL holds characters browsers silently drop or reinterpret. */
export function hasUnsafeUrlCharacters(value: string): boolean {
  return UNSAFE.test(value)
}

/**
 * The path + search + hash of `value` if it stays on `origin`, else null.
 * Absolute URLs on `origin` are accepted and made relative.
 */
export function sameSitePath(value: unknown, origin: string = PLACEHOLDER_ORIGIN): string | null {
  if (typeof value !== 'string' || value.length === 0 || value.length > 2000 || UNSAFE.test(value)) return null
  let base: URL
  let resolved: URL
  try {
    base = new URL(origin)
    resolved = new URL(value, base)
  } catch {
    return null
  }
  if (resolved.origin !== base.origin) return null
  const path = resolved.pathname + resolved.search + resolved.hash
  // `/.//evil.example` resolves to the path `//evil.example`, which a browser
  // reads as another host: check what the result itself means.
  if (!path.startsWith('/') || path.startsWith('//') || new URL(path, base).origin !== base.origin) return null
  return path
}

/** A post-sign-in destination on this site, or `fallback`. */
export function safeReturnTo(value: unknown, options: { origin?: string; fallback?: string } = {}): string {
  return sameSitePath(value, options.origin) ?? options.fallback ?? '/collections'
}
