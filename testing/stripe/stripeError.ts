// Stripe's error envelope: `{error: {type, message, code?, param?}}` with the
// request id in `Request-Id`. The SDK turns `type` + status into its error
// classes (StripeInvalidRequestError, StripeAuthenticationError, …).

export type StripeErrorType = 'invalid_request_error' | 'api_error' | 'card_error' | 'idempotency_error'

export class StripeApiError extends Error {
  constructor(
    readonly status: number,
    readonly type: StripeErrorType,
    message: string,
    readonly extra: { code?: string; param?: string } = {},
  ) {
    super(message)
  }

  body() {
    return { error: { type: this.type, message: this.message, ...this.extra } }
  }
}

export function missing(object: string, id: string, param = 'id'): StripeApiError {
  return new StripeApiError(404, 'invalid_request_error', `No such ${object}: '${id}'`, { code: 'resource_missing', param })
}

export function invalid(message: string, param?: string): StripeApiError {
  return new StripeApiError(400, 'invalid_request_error', message, param ? { param, code: 'parameter_invalid' } : {})
}

export function missingParam(param: string): StripeApiError {
  return new StripeApiError(400, 'invalid_request_error', `Missing required param: ${param}.`, { code: 'parameter_missing', param })
}
