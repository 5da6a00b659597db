// POST /v1/audio/transcriptions: a multipart upload checked like the API checks
// it (size limit -> 413, file type by extension, model, response_format), then
// a Whisper-shaped answer. Segments come from the audio's real duration
// (ffprobe), so a client that splits a file can be checked for exact offsets.

import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { openAiError } from './openAiError'

// The extensions the API accepts; it judges the format by the file name.
const SUPPORTED_EXTENSIONS = ['flac', 'm4a', 'mp3', 'mp4', 'mpeg', 'mpga', 'oga', 'ogg', 'wav', 'webm']
const RESPONSE_FORMATS = ['json', 'text', 'srt', 'verbose_json', 'vtt']
const EMULATED_FORMATS = ['json', 'text', 'verbose_json']

export type TranscriptionUpload = {
  /** Position of the request in `requests`. */
  index: number
  filename: string
  bytes: Uint8Array
  durationSeconds: number
  model: string
  language: string | null
}

/** Returns the JSON body of a verbose_json answer (anything, to test a client's validation). */
export type TranscriptionResponder = (upload: TranscriptionUpload) => unknown | Promise<unknown>

export type TranscriptionsSettings = {
  maxFileBytes: number
  segmentSeconds: number
  models: string[] | undefined
}

export type TranscriptionRecord = {
  model: string | null
  responseFormat: string | null
  timestampGranularities: string[]
  language: string | null
  file: { name: string; size: number; type: string } | null
  durationSeconds: number | null
}

export async function handleTranscription(
  form: FormData,
  record: TranscriptionRecord,
  index: number,
  settings: TranscriptionsSettings,
  responder: TranscriptionResponder | null,
  requestId: string,
): Promise<Response> {
  const invalid = (message: string, param: string | null, status = 400) =>
    openAiError(status, 'invalid_request_error', message, requestId, { param })

  const file = form.get('file')
  const model = form.get('model')
  const responseFormat = form.get('response_format') ?? 'json'
  const language = form.get('language')
  const granularities = [...form.getAll('timestamp_granularities[]'), ...form.getAll('timestamp_granularities')]
  record.model = typeof model === 'string' ? model : null
  record.responseFormat = typeof responseFormat === 'string' ? responseFormat : null
  record.timestampGranularities = granularities.filter((g): g is string => typeof g === 'string')
  record.language = typeof language === 'string' ? language : null
  record.file = file instanceof File ? { name: file.name, size: file.size, type: file.type } : null

  if (!(file instanceof File)) return invalid("Missing required parameter: 'file'.", 'file')
  if (file.size > settings.maxFileBytes) {
    return openAiError(
      413,
      'server_error',
      `Maximum content size limit (${settings.maxFileBytes}) exceeded (${file.size} bytes read)`,
      requestId,
    )
  }
  if (typeof model !== 'string' || model === '') return invalid("Missing required parameter: 'model'.", 'model')
  if (settings.models && !settings.models.includes(model)) {
    return openAiError(404, 'invalid_request_error', `The model \`${model}\` does not exist or you do not have access to it.`, requestId, {
      code: 'model_not_found',
    })
  }
  if (typeof responseFormat !== 'string' || !RESPONSE_FORMATS.includes(responseFormat)) {
    return invalid(`'${String(responseFormat)}' is not one of ${JSON.stringify(RESPONSE_FORMATS)} - 'response_format'`, 'response_format')
  }
  if (responseFormat === 'verbose_json' && model.startsWith('gpt-4o')) {
    return invalid(
      `response_format 'verbose_json' is not compatible with model '${model}'. Use 'json' or 'text' instead.`,
      'response_format',
    )
  }
  if (!EMULATED_FORMATS.includes(responseFormat)) {
    return invalid(`The emulator only produces ${EMULATED_FORMATS.join(', ')}, not '${responseFormat}'.`, 'response_format')
  }
  for (const g of record.timestampGranularities) {
    if (g !== 'segment' && g !== 'word')
      return invalid(`'${g}' is not one of ['word', 'segment'] - 'timestamp_granularities'`, 'timestamp_granularities')
  }
  if (record.timestampGranularities.length > 0 && responseFormat !== 'verbose_json') {
    return invalid('timestamp_granularities requires response_format=verbose_json', 'timestamp_granularities')
  }
  const extension = file.name.includes('.') ? file.name.split('.').pop()!.toLowerCase() : ''
  if (!SUPPORTED_EXTENSIONS.includes(extension)) {
    return invalid(`Invalid file format. Supported formats: ${JSON.stringify(SUPPORTED_EXTENSIONS)}`, 'file')
  }

  const bytes = new Uint8Array(await file.arrayBuffer())
  const probed = await probeDuration(bytes, extension)
  if (!probed.ok) {
    if (probed.reason === 'ffprobe_missing') {
      // Retrying cannot help; say so rather than let the SDK back off and retry.
      return openAiError(500, 'server_error', 'The OpenAI emulator needs ffprobe (apt-get install ffmpeg).', requestId, {
        headers: { 'x-should-retry': 'false' },
      })
    }
    return invalid('The audio file could not be decoded or its format is not supported.', 'file')
  }
  record.durationSeconds = probed.seconds

  const upload: TranscriptionUpload = {
    index,
    filename: file.name,
    bytes,
    durationSeconds: probed.seconds,
    model,
    language: record.language,
  }
  const verbose = responder ? await responder(upload) : defaultVerbose(upload, settings.segmentSeconds)
  const headers = { 'x-request-id': requestId }
  if (responseFormat === 'verbose_json') return Response.json(verbose, { headers })
  const text = typeof (verbose as { text?: unknown })?.text === 'string' ? (verbose as { text: string }).text : ''
  if (responseFormat === 'text') return new Response(`${text}\n`, { headers: { ...headers, 'content-type': 'text/plain' } })
  return Response.json({ text }, { headers })
}

/** Whisper's shape: fixed-length segments covering the audio, text tied to the bytes. */
export function defaultVerbose(upload: TranscriptionUpload, segmentSeconds: number) {
  const digest = new Bun.CryptoHasher('sha256').update(upload.bytes).digest('hex').slice(0, 8)
  const duration = upload.durationSeconds
  const count = Math.max(1, Math.ceil(duration / segmentSeconds - 1e-9))
  const segments = Array.from({ length: count }, (_, id) => {
    const start = round2(id * segmentSeconds)
    const end = round2(Math.min(duration, (id + 1) * segmentSeconds))
    return {
      id,
      seek: Math.round(start * 100),
      start,
      end,
      // Leading space, as Whisper's segment texts have.
      text: ` Emulated speech ${digest} segment ${id}.`,
      tokens: [50364, 100 + id, 50414],
      temperature: 0,
      avg_logprob: -0.25,
      compression_ratio: 1.2,
      no_speech_prob: 0.01,
    }
  })
  return {
    task: 'transcribe',
    language: upload.language === null ? 'english' : upload.language,
    duration: round2(duration),
    text: segments
      .map((s) => s.text)
      .join('')
      .trim(),
    segments,
    usage: { type: 'duration', seconds: Math.ceil(duration) },
  }
}

type Probe = { ok: true; seconds: number } | { ok: false; reason: 'ffprobe_missing' | 'unreadable' }

async function probeDuration(bytes: Uint8Array, extension: string): Promise<Probe> {
  const dir = await mkdtemp(join(tmpdir(), 'openai-emulator-'))
  try {
    const path = join(dir, `upload.${extension}`)
    await Bun.write(path, bytes)
    let child
    try {
      child = Bun.spawn(['ffprobe', '-v', 'error', '-show_entries', 'format=duration', '-of', 'csv=p=0', path], {
        stdout: 'pipe',
        stderr: 'pipe',
      })
    } catch {
      return { ok: false, reason: 'ffprobe_missing' }
    }
    const [out, code] = await Promise.all([new Response(child.stdout).text(), child.exited])
    const seconds = Number(out.trim())
    return code === 0 && Number.isFinite(seconds) && seconds > 0 ? { ok: true, seconds } : { ok: false, reason: 'unreadable' }
  } finally {
    await rm(dir, { recursive: true, force: true })
  }
}

function round2(x: number): number {
  return Math.round(x * 100) / 100
}
