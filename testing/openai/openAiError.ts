// OpenAI's error envelope: `{ error: { message, type, param, code } }`, with an
// `x-request-id` header the SDK surfaces as `error.requestID`.

export type OpenAiErrorType = 'invalid_request_error' | 'requests' | 'tokens' | 'server_error' | 'insufficient_quota'

export type OpenAiErrorFields = {
  param?: string | null
  code?: string | null
  headers?: Record<string, string>
}

export function openAiError(
  status: number,
  type: OpenAiErrorType,
  message: string,
  requestId: string,
  fields: OpenAiErrorFields = {},
): Response {
  return Response.json(
    { error: { message, type, param: fields.param ?? null, code: fields.code ?? null } },
    { status, headers: { 'x-request-id': requestId, ...fields.headers } },
  )
}
