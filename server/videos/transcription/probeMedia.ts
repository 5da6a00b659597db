// Asks ffprobe what a media file holds before any upload, so a file that is not
// media (or has no sound) fails at once with a reason, not after a paid call.

import { UnprocessableError } from '../../platform/errors'
import { runMediaTool } from './runMediaTool'

export type MediaInfo = {
  /** Null when the container does not say (some streams); splitting then is impossible. */
  durationMs: number | null
}

export async function probeMedia(path: string, filename: string, signal?: AbortSignal): Promise<MediaInfo> {
  const result = await runMediaTool(
    ['ffprobe', '-v', 'error', '-show_entries', 'format=duration:stream=codec_type', '-of', 'json', path],
    signal,
  )
  const parsed = result.code === 0 ? parseProbe(result.stdout) : null
  if (parsed === null) {
    throw new UnprocessableError('audio_unreadable', `"${filename}" could not be read as audio or video.`, {
      // ffprobe names the file by its path on this server; users know it by its name.
      reason: lastLine(result.stderr).replaceAll(path, filename),
    })
  }
  if (!parsed.hasAudio) throw new UnprocessableError('audio_missing', `"${filename}" has no audio track to transcribe.`)
  return { durationMs: parsed.durationMs }
}

function parseProbe(stdout: string): { hasAudio: boolean; durationMs: number | null } | null {
  let json: unknown
  try {
    json = JSON.parse(stdout)
  } catch {
    return null
  }
  const streams = (json as { streams?: unknown })?.streams
  if (!Array.isArray(streams)) return null
  const hasAudio = streams.some((s: unknown) => (s as { codec_type?: unknown })?.codec_type === 'audio')
  const seconds = Number((json as { format?: { duration?: unknown } }).format?.duration)
  return { hasAudio, durationMs: Number.isFinite(seconds) && seconds > 0 ? Math.round(seconds * 1000) : null }
}

function lastLine(text: string): string {
  return text.trim().split('\n').pop()?.slice(0, 300) ?? ''
}
