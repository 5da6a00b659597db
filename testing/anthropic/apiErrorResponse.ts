// The API's error envelope: `{type:'error', error:{type, message}, request_id}`
// with the same id in the `request-id` header, which the SDK surfaces as
// `error.requestID`. Mid-stream `error` events reuse `apiErrorBody`.

export type ApiErrorType =
  | 'invalid_request_error'
  | 'authentication_error'
  | 'permission_error'
  | 'not_found_error'
  | 'rate_limit_error'
  | 'api_error'
  | 'overloaded_error'

export function apiErrorBody(type: ApiErrorType, message: string, requestId?: string) {
  return {
    type: 'error' as const,
    error: { type, message },
    ...(requestId === undefined ? {} : { request_id: requestId }),
  }
}

export function apiErrorResponse(
  status: number,
  type: ApiErrorType,
  message: string,
  requestId: string,
  headers: Record<string, string> = {},
): Response {
  return Response.json(apiErrorBody(type, message, requestId), {
    status,
    headers: { 'request-id': requestId, ...headers },
  })
}
