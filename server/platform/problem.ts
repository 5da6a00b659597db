// Turns every error into RFC 9457 problem details with a stable `code`. Unknown
// errors are logged with the request id, reported (when SENTRY_DSN is set) and
// become a bare 500.
import { ValidationError } from 'elysia'
import { reportError } from './errorReporting.ts'
import { AppError } from './errors.ts'
import { isDatabaseUnavailable } from './db.ts'
import type { Logger } from './logger.ts'

const DATABASE_RETRY_AFTER_SECONDS = 5

const PROBLEM_TYPE_BASE = 'https://knowledgetree.dev/problems/'

export type ProblemInput = { status: number; code: string; title: string; detail: string; requestId: string; type?: string } & Record<
  string,
  unknown
>

export function problemResponse(problem: ProblemInput, headers: Record<string, string> = {}): Response {
  const body = { type: problem.type ?? PROBLEM_TYPE_BASE + problem.code, ...problem }
  return new Response(JSON.stringify(body), {
    status: problem.status,
    headers: { 'content-type': 'application/problem+json', 'cache-control': 'no-store', 'x-request-id': problem.requestId, ...headers },
  })
}

type FieldError = { field: string; message: string }

function validationFields(error: ValidationError): FieldError[] {
  const seen = new Set<string>()
  const out: FieldError[] = []
  for (const e of error.all) {
    const field = (e.path ?? '').replace(/^\//, '').replace(/\//g, '.') || '(root)'
    if (seen.has(field)) continue
    seen.add(field)
    out.push({ field, message: e.summary ?? e.message })
  }
  return out
}

const LOCATION: Record<string, string> = { body: 'body', query: 'query string', params: 'path', headers: 'headers', cookie: 'cookies' }

/** Maps any thrown value (or Elysia's error codes) to a problem response. */
export function toProblem(args: {
  code: string | number
  error: unknown
  requestId: string
  logger: Logger
  method: string
  path: string
  route?: string
}): Response {
  const { code, requestId } = args
  // Elysia wraps whatever a body parser throws; our own parser throws AppErrors.
  const cause = (args.error as { cause?: unknown } | null)?.cause
  const error = code === 'PARSE' && cause instanceof AppError ? cause : args.error
  if (error instanceof AppError) {
    const headers: Record<string, string> = {}
    if (error.status === 429 && typeof error.extras.retryAfter === 'number') headers['retry-after'] = String(error.extras.retryAfter)
    if (error.status >= 500) {
      args.logger.error('request failed', { requestId, code: error.code, err: error })
      reportError(error, { requestId, method: args.method, route: args.route })
    }
    return problemResponse(
      { ...error.extras, status: error.status, code: error.code, title: error.title, detail: error.message, requestId },
      headers,
    )
  }
  if (error instanceof ValidationError || code === 'VALIDATION') {
    const v = error as ValidationError
    const fields = v instanceof ValidationError ? validationFields(v) : []
    const where = LOCATION[v.type] ?? v.type
    const detail = fields.length ? `Invalid ${where}: ` + fields.map((f) => `${f.field}: ${f.message}`).join('; ') : `Invalid ${where}.`
    return problemResponse({ status: 422, code: 'validation_failed', title: 'Validation failed', detail, requestId, errors: fields })
  }
  if (code === 'NOT_FOUND')
    return problemResponse({
      status: 404,
      code: 'route_not_found',
      title: 'Not found',
      detail: `No route for ${args.method} ${args.path}.`,
      requestId,
    })
  if (code === 'PARSE')
    return problemResponse({
      status: 400,
      code: 'malformed_body',
      title: 'Bad request',
      detail: 'The request body could not be parsed; check that it matches its Content-Type.',
      requestId,
    })
  if (code === 'INVALID_COOKIE_SIGNATURE')
    return problemResponse({
      status: 400,
      code: 'invalid_cookie',
      title: 'Bad request',
      detail: 'A cookie was tampered with. Sign in again.',
      requestId,
    })
  if (code === 'INVALID_FILE_TYPE')
    return problemResponse({
      status: 415,
      code: 'unsupported_media_type',
      title: 'Unsupported media type',
      detail: (error as Error).message,
      requestId,
    })
  const status = typeof (error as { status?: unknown })?.status === 'number' ? (error as { status: number }).status : 500
  if (status >= 400 && status < 500 && status !== 500) {
    // Elysia's own 4xx errors (e.g. a body over Bun's hard limit) keep their status.
    return problemResponse({ status, code: 'bad_request', title: 'Bad request', detail: 'The request was rejected.', requestId })
  }
  if (isDatabaseUnavailable(error)) {
    args.logger.warn('database unavailable', { requestId, method: args.method, path: args.path, code: (error as { code?: unknown }).code })
    return problemResponse(
      {
        status: 503,
        code: 'database_unavailable',
        title: 'Service unavailable',
        detail: 'The database cannot be reached right now. Try again in a few seconds.',
        requestId,
      },
      { 'retry-after': String(DATABASE_RETRY_AFTER_SECONDS) },
    )
  }
  args.logger.error('unhandled error', { requestId, method: args.method, path: args.path, err: error })
  reportError(error, { requestId, method: args.method, route: args.route })
  return problemResponse({
    status: 500,
    code: 'internal_error',
    title: 'Internal server error',
    detail: 'Something went wrong on our side. The error was logged with this request id.',
    requestId,
  })
}
