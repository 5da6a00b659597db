// Structured JSON-lines logging. Anything that looks like a credential is
// replaced before it is written, whatever the caller passes in. A line written
// while a span is active carries its traceId and spanId.
import { context, trace } from '@opentelemetry/api'

export type LogLevel = 'debug' | 'info' | 'warn' | 'error'
const LEVELS: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 }

const SECRET_KEY = /pass(word)?|secret|token|authorization|cookie|api[-_]?key|credential|signature|session|jwt|dsn|database_?url/i
// Values that are credentials whatever key they sit under.
const SECRET_VALUE = [
  /\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]+/gi,
  /\beyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]*/g, // JWTs
  /\b(postgres(ql)?|https?):\/\/[^\s:/@]+:[^\s@]+@/gi, // URLs with passwords
  /\b(sk|rk|pk)_(live|test)_[A-Za-z0-9]{8,}/g, // Stripe keys
  /\bsk-ant-[A-Za-z0-9_-]{8,}/g, // Anthropic keys
]

export function redactString(s: string): string {
  let out = s
  for (const re of SECRET_VALUE) out = out.replace(re, '[redacted]')
  return out
}

export function redact(value: unknown, depth = 0): unknown {
  if (depth > 6) return '[truncated]'
  if (typeof value === 'string') return redactString(value)
  if (value instanceof Error)
    return { name: value.name, message: redactString(value.message), stack: value.stack ? redactString(value.stack) : undefined }
  if (Array.isArray(value)) return value.map((v) => redact(v, depth + 1))
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {}
    for (const [k, v] of Object.entries(value)) out[k] = SECRET_KEY.test(k) ? '[redacted]' : redact(v, depth + 1)
    return out
  }
  return value
}

export type Logger = {
  debug(msg: string, fields?: Record<string, unknown>): void
  info(msg: string, fields?: Record<string, unknown>): void
  warn(msg: string, fields?: Record<string, unknown>): void
  error(msg: string, fields?: Record<string, unknown>): void
  child(fields: Record<string, unknown>): Logger
}

export type LogSink = (line: string) => void
const stdoutSink: LogSink = (line) => process.stdout.write(line + '\n')

export function createLogger(level: LogLevel = 'info', base: Record<string, unknown> = {}, sink: LogSink = stdoutSink): Logger {
  const min = LEVELS[level]
  const write = (lvl: LogLevel, msg: string, fields?: Record<string, unknown>) => {
    if (LEVELS[lvl] < min) return
    const span = trace.getSpanContext(context.active())
    const ids = span && trace.isSpanContextValid(span) ? { traceId: span.traceId, spanId: span.spanId } : null
    const entry = redact({ time: new Date().toISOString(), level: lvl, msg, ...base, ...ids, ...fields }) as Record<string, unknown>
    sink(JSON.stringify(entry))
  }
  return {
    debug: (m, f) => write('debug', m, f),
    info: (m, f) => write('info', m, f),
    warn: (m, f) => write('warn', m, f),
    error: (m, f) => write('error', m, f),
    child: (fields) => createLogger(level, { ...base, ...fields }, sink),
  }
}
