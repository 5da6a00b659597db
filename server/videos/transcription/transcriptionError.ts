// Turns what the SDK throws into errors the transcribe job can act on: a key
// problem the operator must fix, a refusal that retrying will not change, or an
// outage worth retrying later (the SDK has already retried 429/5xx by then).

import OpenAI from 'openai'
import { AppError } from '../../platform/errors'

export function transcriptionError(error: unknown, where: string): unknown {
  // Aborts (the job was cancelled) and our own errors pass through unchanged.
  if (!(error instanceof OpenAI.APIError) || error instanceof OpenAI.APIUserAbortError) return error
  const status = error.status
  if (status === 401 || status === 403) {
    return new AppError(
      502,
      'transcription_auth_failed',
      'Transcription service refused the credentials',
      `${where} answered ${status}: check the transcription API key.`,
      {
        cause: error,
        extras: { retryable: false, upstreamStatus: status },
      },
    )
  }
  // Connection failures and timeouts have no status.
  const retryable = status === undefined || status === 408 || status === 409 || status === 429 || status >= 500
  if (retryable) {
    return new AppError(503, 'transcription_unavailable', 'Transcription service unavailable', `${where}: ${error.message}`, {
      cause: error,
      extras: { retryable: true, ...(status === undefined ? {} : { upstreamStatus: status }) },
    })
  }
  return new AppError(502, 'transcription_rejected', 'Transcription service refused the audio', `${where}: ${error.message}`, {
    cause: error,
    extras: { retryable: false, upstreamStatus: status },
  })
}

/** Names the service in messages without any credentials a base URL may carry. */
export function describeService(model: string, baseUrl: string): string {
  let host = 'the configured URL'
  try {
    const url = new URL(baseUrl)
    host = `${url.host}${url.pathname.replace(/\/$/, '')}`
  } catch {}
  return `${model} at ${host}`
}
