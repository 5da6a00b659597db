// What an error report may carry: used as Sentry's `beforeSend` by the api, the
// worker and the web app (so it imports nothing). Reports go to a third party,
// so they keep the shape of the failure (type, message, stack, route, ids) and
// lose what identifies or authenticates a person: emails, tokens, cookies,
// passwords, request bodies, query strings, transcript and chat text.

const FILTERED = '[Filtered]'
/** Keys whose values never leave the process, wherever they appear. */
const SENSITIVE_KEY =
  /pass|secret|token|auth|cookie|session|api[-_]?key|credential|email|transcript|content|prompt|message_text|body|dsn|signature/i
/** Correlation ids (trace, span, request) stay as they are: hex or UUID shaped, and the point of the report. */
const ID_KEY = /^(trace_id|span_id|parent_span_id|request_id|kt\.request\.id)$/
const ID_VALUE = /^[0-9a-f-]{16,36}$/i
/** Request headers worth keeping; every other header is dropped. */
const KEPT_HEADERS = new Set(['user-agent', 'content-type', 'content-length', 'accept', 'x-request-id', 'referer'])

const PATTERNS: [RegExp, string][] = [
  [/[A-Z0-9._%+-]+@[A-Z0-9.-]+\.[A-Z]{2,}/gi, '[email]'],
  [/\beyJ[\w-]+\.[\w-]+\.[\w-]*/g, '[jwt]'],
  [/\b(bearer|basic)\s+[^\s"',;]+/gi, '$1 [Filtered]'],
  [/\b(sk|rk|pk)_(live|test)_[\w]+/g, '[key]'],
  [/\bsk-[\w-]{16,}/g, '[key]'],
  [/\bwhsec_[\w]+/g, '[key]'],
  // key=value and "key": "value" pairs whose key names a secret.
  [/\b([\w-]*(?:pass|secret|token|api[-_]?key|session|cookie)[\w-]*)(["']?\s*[:=]\s*["']?)[^\s"'&,;}]+/gi, '$1$2[Filtered]'],
  // Long runs of base64url characters: session tokens, API keys, hashes. UUIDs (row ids) stay.
  [/(?<![\w-])(?![0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}(?![\w-]))[\w-]{32,}(?![\w-])/gi, '[token]'],
]

/** A string with emails, tokens and secrets replaced. */
export function scrubText(text: string): string {
  let out = text
  for (const [pattern, replacement] of PATTERNS) out = out.replace(pattern, replacement)
  return out
}

/** Deep copy of a value with sensitive keys filtered and every string scrubbed. */
export function scrubValue(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') return scrubText(value)
  if (value === null || typeof value !== 'object') return value
  if (depth > 8) return FILTERED
  if (Array.isArray(value)) return value.map((v) => scrubValue(v, depth + 1))
  const out: Record<string, unknown> = {}
  for (const [k, v] of Object.entries(value)) {
    if (ID_KEY.test(k) && typeof v === 'string' && ID_VALUE.test(v)) out[k] = v
    else out[k] = SENSITIVE_KEY.test(k) ? FILTERED : scrubValue(v, depth + 1)
  }
  return out
}

type Frame = { vars?: unknown; pre_context?: unknown; context_line?: unknown; post_context?: unknown }
type ReportedEvent = {
  message?: unknown
  logentry?: { message?: string; formatted?: string; params?: unknown[] }
  exception?: { values?: { value?: string; stacktrace?: { frames?: Frame[] } }[] }
  request?: { url?: string; query_string?: unknown; data?: unknown; cookies?: unknown; headers?: Record<string, string>; env?: unknown }
  user?: { id?: string | number } & Record<string, unknown>
  breadcrumbs?: unknown
  extra?: Record<string, unknown>
  contexts?: Record<string, unknown>
  tags?: Record<string, unknown>
  server_name?: string
}

/** Sentry `beforeSend`: returns the event with personal data and secrets removed. */
export function scrubEvent<E>(input: E): E {
  const event = input as ReportedEvent
  if (typeof event.message === 'string') event.message = scrubText(event.message)
  if (event.logentry) {
    if (event.logentry.message) event.logentry.message = scrubText(event.logentry.message)
    if (event.logentry.formatted) event.logentry.formatted = scrubText(event.logentry.formatted)
    if (event.logentry.params) event.logentry.params = event.logentry.params.map((p) => scrubValue(p))
  }
  for (const ex of event.exception?.values ?? []) {
    if (ex.value) ex.value = scrubText(ex.value)
    for (const frame of ex.stacktrace?.frames ?? []) delete frame.vars
  }
  if (event.request) {
    const { url, headers } = event.request
    delete event.request.query_string
    delete event.request.data
    delete event.request.cookies
    delete event.request.env
    if (url) event.request.url = scrubText(url.split('?')[0]!)
    if (headers)
      event.request.headers = Object.fromEntries(
        Object.entries(headers)
          .filter(([k]) => KEPT_HEADERS.has(k.toLowerCase()))
          .map(([k, v]) => [k, scrubText(String(v))]),
      )
  }
  // An opaque user id helps group reports; nothing else about the user goes out.
  if (event.user) event.user = event.user.id === undefined ? {} : { id: event.user.id }
  delete event.breadcrumbs
  if (event.extra) event.extra = scrubValue(event.extra) as Record<string, unknown>
  if (event.tags) event.tags = scrubValue(event.tags) as Record<string, unknown>
  if (event.contexts) event.contexts = scrubValue(event.contexts) as Record<string, unknown>
  return input
}
