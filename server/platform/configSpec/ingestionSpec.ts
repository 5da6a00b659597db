// Configuration of what comes in: upload size limits, YouTube access and the
// transcription endpoint for audio and video.
import { int, str, url, type Spec } from './parsers.ts'

export const ingestionSpec = {
  TRANSCRIPT_MAX_BYTES: {
    description: 'Largest transcript/subtitle upload; larger gets 413.',
    allowed: 'an integer from 1024 to 104857600',
    parse: int(1024, 100 * 1024 ** 2),
    default: 10 * 1024 ** 2,
  },
  AUDIO_MAX_BYTES: {
    description: 'Largest audio/video upload; larger gets 413. Files are kept in Postgres until transcribed.',
    allowed: 'an integer from 1024 to 1073741824',
    parse: int(1024, 1024 ** 3),
    default: 200 * 1024 ** 2,
  },
  YOUTUBE_PROXY_URL: {
    description: 'HTTP(S) proxy for YouTube requests (YouTube blocks many cloud IPs), e.g. `http://user:pass@proxy:8080`.',
    allowed: 'an http(s) URL',
    parse: url,
    optional: true,
    secret: true,
  },
  YOUTUBE_BASE_URL: {
    description: 'Where YouTube is reached (change only for a mirror or a test double).',
    allowed: 'an http(s) URL',
    parse: url,
    default: 'https://www.youtube.com',
  },
  TRANSCRIPTION_BASE_URL: {
    description:
      'OpenAI-compatible `/v1/audio/transcriptions` endpoint for audio/video uploads (OpenAI, Groq `https://api.groq.com/openai/v1`, a self-hosted whisper server). Unset: audio uploads are refused with a message saying so.',
    allowed: 'an http(s) URL',
    parse: url,
    optional: true,
  },
  TRANSCRIPTION_MODEL: {
    description: 'Transcription model (`whisper-1`, `whisper-large-v3`, …).',
    allowed: 'a model name',
    parse: str,
    default: 'whisper-1',
  },
  TRANSCRIPTION_API_KEY: {
    description: 'API key for the transcription endpoint.',
    allowed: 'a string',
    parse: str,
    optional: true,
    secret: true,
  },
  TRANSCRIPTION_MAX_UPLOAD_BYTES: {
    description: 'The endpoint’s per-request file limit; larger audio is split with ffmpeg.',
    allowed: 'an integer from 65536 to 1073741824',
    parse: int(65536, 1024 ** 3),
    default: 25 * 1024 ** 2,
  },
} satisfies Record<string, Spec<unknown>>
