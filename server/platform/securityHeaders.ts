// Headers every response carries, API answers and pages alike. (A
// Content-Security-Policy for the pages is not set yet: see the README.)

const BASE: Record<string, string> = {
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'strict-origin-when-cross-origin',
  'permissions-policy': 'camera=(), microphone=(), geolocation=(), payment=(), usb=()',
}
// API answers can never be framed or run anything.
const API_ONLY: Record<string, string> = {
  'content-security-policy': "default-src 'none'; frame-ancestors 'none'",
  'x-frame-options': 'DENY',
}

/**
 * Adds what is missing; a header a route set itself wins. API answers default
 * to `Cache-Control: no-store` (they are per user); HSTS only when production
 * is served over https (on http://localhost it would pin a developer's browser).
 */
export function withSecurityHeaders(response: Response, options: { api: boolean; hsts: boolean }): Response {
  const add = (name: string, value: string) => {
    if (!response.headers.has(name)) response.headers.set(name, value)
  }
  try {
    for (const [k, v] of Object.entries(BASE)) add(k, v)
    if (options.api) {
      for (const [k, v] of Object.entries(API_ONLY)) add(k, v)
      add('cache-control', 'no-store')
    }
    if (options.hsts) add('strict-transport-security', 'max-age=31536000; includeSubDomains')
    return response
  } catch {
    // Immutable headers (a fetched response passed through): copy once.
    const copy = new Response(response.body, response)
    return withSecurityHeaders(copy, options)
  }
}
