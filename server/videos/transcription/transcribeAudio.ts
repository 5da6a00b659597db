// Speech to timed segments through any server that speaks OpenAI's
// `POST /v1/audio/transcriptions` with verbose_json (OpenAI Whisper, Groq,
// faster-whisper-server / speaches). Files the API takes as they are go up as
// they are; anything larger than the upload limit, or in a container the API
// does not accept, is re-encoded to mono MP3 parts with ffmpeg, transcribed in
// order, and each part's segment times shifted by where the part starts.

import { mkdtemp, rm, stat } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { extname, join } from 'node:path'
import { SpanKind } from '@opentelemetry/api'
import OpenAI, { toFile } from 'openai'
import { createOpenAiClient } from '../../platform/openAiClient.ts'
import { UnprocessableError } from '../../platform/errors'
import { withSpan } from '../../platform/tracing'
import type { Segment } from '../../retrieval/types'
import { parseVerboseTranscription, type VerboseTranscription } from './parseVerboseTranscription'
import { probeMedia } from './probeMedia'
import { partSecondsFor, splitAudio } from './splitAudio'
import { describeService, transcriptionError } from './transcriptionError'
import { whisperLanguageCode } from './whisperLanguageCode'

export type TranscribeInput = { path: string; filename: string; contentType: string | null }

export type TranscribeOptions = {
  /** Up to and including `/v1`. */
  baseUrl: string
  /** Null or empty for self-hosted servers without auth: no Authorization header is sent. */
  apiKey?: string | null
  /** e.g. `whisper-1` (OpenAI), `whisper-large-v3` (Groq); must support verbose_json. */
  model: string
  /** Largest file sent in one request. Default 25 MB, OpenAI's limit. */
  maxUploadBytes?: number
  /** ISO 639-1 hint; unset lets the server detect the language. */
  language?: string | null
  signal?: AbortSignal
  /** Called after each part with the share of the audio done; the last call is 1. */
  onProgress?: (fraction: number) => void
  /** Retries of 429/5xx/connection errors by the SDK. Default 2. */
  maxRetries?: number
  /** Per request. Default 10 minutes, the SDK's: a 25 MB part can take minutes. */
  timeoutMs?: number
}

export type Transcription = { segments: Segment[]; language: string | null; durationMs: number | null }

export const DEFAULT_MAX_UPLOAD_BYTES = 25_000_000

// Below this a part is not worth splitting further when a server says it is too large.
const MIN_PART_MS = 1000
const SLACK_SECONDS = 0.25

// The formats the API accepts, judged by the upload's file name.
const ACCEPTED_EXTENSIONS = new Set(['flac', 'm4a', 'mp3', 'mp4', 'mpeg', 'mpga', 'oga', 'ogg', 'wav', 'webm'])
const EXTENSION_BY_TYPE: Record<string, string> = {
  'audio/mpeg': 'mp3',
  'audio/mp3': 'mp3',
  'audio/mp4': 'm4a',
  'audio/x-m4a': 'm4a',
  'video/mp4': 'mp4',
  'video/mpeg': 'mpeg',
  'audio/wav': 'wav',
  'audio/x-wav': 'wav',
  'audio/wave': 'wav',
  'audio/flac': 'flac',
  'audio/x-flac': 'flac',
  'audio/ogg': 'ogg',
  'audio/webm': 'webm',
  'video/webm': 'webm',
}

/** What goes up in one request: the file as it is, or a part ffmpeg made of it. */
type Piece = { path: string; startMs: number; durationMs: number | null; uploadName: string }

export async function transcribeAudio(input: TranscribeInput, options: TranscribeOptions): Promise<Transcription> {
  const maxUploadBytes = options.maxUploadBytes ?? DEFAULT_MAX_UPLOAD_BYTES
  const partSeconds = partSecondsFor(maxUploadBytes)
  if (partSeconds < MIN_PART_MS / 1000) {
    throw new Error(`maxUploadBytes ${maxUploadBytes} leaves no room for even a second of audio`)
  }
  const where = describeService(options.model, options.baseUrl)
  const client = createClient(options)
  const media = await probeMedia(input.path, input.filename, options.signal)
  const size = (await stat(input.path)).size
  const directName = uploadName(input)
  const workDir = await mkdtemp(join(tmpdir(), 'transcribe-'))
  try {
    let splits = 0
    const split = async (path: string, maxSeconds: number, durationMs: number | null, offsetMs: number): Promise<Piece[]> => {
      const parts = await splitAudio(path, {
        partSeconds: evenPartSeconds(maxSeconds, durationMs),
        outputDir: workDir,
        prefix: `split${splits++}`,
        offsetMs,
        signal: options.signal,
      })
      return parts.map((part, i) => ({ ...part, uploadName: `part-${offsetMs}-${i}.mp3` }))
    }
    const queue: Piece[] =
      size <= maxUploadBytes && directName !== null
        ? [{ path: input.path, startMs: 0, durationMs: media.durationMs, uploadName: directName }]
        : await split(input.path, partSeconds, media.durationMs, 0)

    const segments: Segment[] = []
    let language: string | null = null
    let reportedSeconds = 0
    const totalMs = media.durationMs
    for (let done = 0; queue.length > 0; ) {
      options.signal?.throwIfAborted()
      const piece = queue.shift()!
      let answer: VerboseTranscription
      try {
        answer = await transcribePiece(client, piece, options, where)
      } catch (error) {
        if (!(error instanceof OpenAI.APIError && error.status === 413)) throw error
        // The server's limit is below ours: split this piece in half and carry on.
        const durationMs = piece.durationMs ?? totalMs
        if (durationMs === null || durationMs < 2 * MIN_PART_MS) {
          throw new UnprocessableError(
            'audio_part_too_large',
            `${where} refused a part of the audio as too large; lower the upload limit.`,
            {
              retryable: false,
            },
          )
        }
        queue.unshift(...(await split(piece.path, durationMs / 2000 + SLACK_SECONDS, durationMs, piece.startMs)))
        continue
      }
      appendSegments(segments, answer, piece)
      language ??= whisperLanguageCode(answer.language)
      reportedSeconds += answer.durationSeconds ?? 0
      done++
      const pieceEnd = piece.durationMs === null ? null : piece.startMs + piece.durationMs
      const fraction = totalMs && pieceEnd !== null ? pieceEnd / totalMs : done / (done + queue.length)
      options.onProgress?.(queue.length === 0 ? 1 : Math.min(fraction, 1))
    }
    return {
      segments,
      language: language ?? whisperLanguageCode(options.language),
      durationMs: totalMs ?? (reportedSeconds > 0 ? Math.round(reportedSeconds * 1000) : null),
    }
  } finally {
    await rm(workDir, { recursive: true, force: true })
  }
}

/** One request to the transcription service, as a client span (GenAI attributes; the conventions name no speech-to-text operation yet). */
function transcribePiece(client: OpenAI, piece: Piece, options: TranscribeOptions, where: string): Promise<VerboseTranscription> {
  const server = new URL(options.baseUrl)
  const attributes = {
    'gen_ai.operation.name': 'transcription',
    'gen_ai.provider.name': 'openai',
    'gen_ai.request.model': options.model,
    'server.address': server.hostname,
    ...(server.port ? { 'server.port': Number(server.port) } : {}),
  }
  return withSpan(`transcription ${options.model}`, { kind: SpanKind.CLIENT, attributes }, async (span) => {
    const answer = await requestTranscription(client, piece, options, where)
    span.setAttributes({
      'kt.transcription.segments': answer.segments?.length ?? 0,
      ...(answer.durationSeconds === null ? {} : { 'kt.transcription.audio_seconds': answer.durationSeconds }),
    })
    return answer
  })
}

async function requestTranscription(
  client: OpenAI,
  piece: Piece,
  options: TranscribeOptions,
  where: string,
): Promise<VerboseTranscription> {
  const file = await toFile(Bun.file(piece.path), piece.uploadName)
  let body: unknown
  try {
    body = await client.audio.transcriptions.create(
      {
        file,
        model: options.model,
        response_format: 'verbose_json',
        timestamp_granularities: ['segment'],
        ...(options.language ? { language: options.language } : {}),
      },
      { signal: options.signal },
    )
  } catch (error) {
    // 413 is handled by the caller, which can split the piece.
    if (error instanceof OpenAI.APIError && error.status === 413) throw error
    throw transcriptionError(error, where)
  }
  return parseVerboseTranscription(body, where)
}

/**
 * Part length for `durationMs` of audio in as few parts as `maxSeconds` allows, spread
 * evenly plus some slack: cutting at exactly duration / n would leave a sliver of a
 * last part, as the re-encoded audio runs a few milliseconds longer than the source.
 */
function evenPartSeconds(maxSeconds: number, durationMs: number | null): number {
  if (durationMs === null) return maxSeconds
  const seconds = durationMs / 1000
  return Math.min(maxSeconds, seconds / Math.ceil(seconds / maxSeconds) + SLACK_SECONDS)
}

/** Shifts a part's segments to the original file's timeline, keeping starts in order. */
function appendSegments(into: Segment[], answer: VerboseTranscription, piece: Piece): void {
  const endMs = piece.durationMs === null ? Infinity : piece.startMs + piece.durationMs
  const timed = answer.segments ?? [{ startSeconds: 0, endSeconds: (piece.durationMs ?? 0) / 1000, text: answer.text }]
  for (const segment of timed) {
    const text = segment.text.trim()
    if (text === '') continue
    const previousStart = into.at(-1)?.startMs ?? 0
    // Whisper may run a little past the end of a part; the next part owns that time.
    const startMs = Math.max(previousStart, Math.min(endMs, piece.startMs + Math.round(segment.startSeconds * 1000)))
    const stopMs = Math.max(startMs, Math.min(endMs, piece.startMs + Math.round(segment.endSeconds * 1000)))
    into.push({ startMs, endMs: stopMs, speaker: null, text })
  }
}

/** The name to upload a file under as it is (the API goes by its extension; the
 *  user's own file name stays here), or null when it must be converted first. */
function uploadName(input: TranscribeInput): string | null {
  const extension = extname(input.filename).slice(1).toLowerCase()
  if (ACCEPTED_EXTENSIONS.has(extension)) return `audio.${extension}`
  const byType = EXTENSION_BY_TYPE[(input.contentType ?? '').split(';')[0]!.trim().toLowerCase()]
  return byType ? `audio.${byType}` : null
}

function createClient(options: TranscribeOptions): OpenAI {
  return createOpenAiClient({
    baseUrl: options.baseUrl,
    apiKey: options.apiKey,
    maxRetries: options.maxRetries ?? 2,
    timeoutMs: options.timeoutMs,
  })
}
