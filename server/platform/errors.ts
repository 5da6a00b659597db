// Domain errors with a stable `code` and an HTTP `status`. One handler at the app
// root (server/platform/problem.ts) turns them into RFC 9457 problem+json.

export type ProblemExtras = Record<string, unknown>

export class AppError extends Error {
  readonly code: string
  readonly status: number
  readonly title: string
  readonly extras: ProblemExtras

  constructor(status: number, code: string, title: string, detail?: string, options: { cause?: unknown; extras?: ProblemExtras } = {}) {
    super(detail ?? title, { cause: options.cause })
    this.name = 'AppError'
    this.status = status
    this.code = code
    this.title = title
    this.extras = options.extras ?? {}
  }
}

export class BadRequestError extends AppError {
  constructor(code: string, detail: string, extras?: ProblemExtras) {
    super(400, code, 'Bad request', detail, { extras })
  }
}

export class UnauthorizedError extends AppError {
  constructor(detail = 'Sign in to continue.', code = 'unauthorized') {
    super(401, code, 'Unauthorized', detail)
  }
}

export class ForbiddenError extends AppError {
  constructor(detail = 'You are not allowed to do that.', code = 'forbidden') {
    super(403, code, 'Forbidden', detail)
  }
}

export class NotFoundError extends AppError {
  constructor(what = 'Resource', code = 'not_found') {
    super(404, code, 'Not found', `${what} not found.`)
  }
}

export class ConflictError extends AppError {
  constructor(code: string, detail: string) {
    super(409, code, 'Conflict', detail)
  }
}

export class PayloadTooLargeError extends AppError {
  constructor(limitBytes: number) {
    super(413, 'payload_too_large', 'Payload too large', `The body is larger than the limit of ${limitBytes} bytes.`, {
      extras: { limitBytes },
    })
  }
}

export class UnsupportedMediaTypeError extends AppError {
  constructor(detail: string) {
    super(415, 'unsupported_media_type', 'Unsupported media type', detail)
  }
}

export class UnprocessableError extends AppError {
  constructor(code: string, detail: string, extras?: ProblemExtras) {
    super(422, code, 'Unprocessable content', detail, { extras })
  }
}

export class TooManyRequestsError extends AppError {
  readonly retryAfterSeconds: number
  constructor(retryAfterSeconds: number, detail = 'Too many attempts. Try again later.') {
    super(429, 'rate_limited', 'Too many requests', detail, { extras: { retryAfter: retryAfterSeconds } })
    this.retryAfterSeconds = retryAfterSeconds
  }
}

export class ServiceUnavailableError extends AppError {
  constructor(code: string, detail: string) {
    super(503, code, 'Service unavailable', detail)
  }
}
