// Re-encodes the audio of any media file to small mono MP3 parts that each fit
// an upload limit, in one ffmpeg pass. Part start times come from ffmpeg's own
// segment list, not from arithmetic, so transcript offsets stay exact.

import { readdir } from 'node:fs/promises'
import { join } from 'node:path'
import { AppError } from '../../platform/errors'
import { runMediaTool } from './runMediaTool'

/** 64 kb/s mono: Whisper resamples to 16 kHz mono anyway, so speech loses nothing. */
export const PART_BITRATE_BYTES_PER_SECOND = 8000
// Room for the ID3 tag and the Xing frame each part starts with.
const PART_HEADER_BYTES = 2048

export type AudioPart = {
  path: string
  /** Where the part starts in the original file. */
  startMs: number
  durationMs: number
}

/** The longest part (seconds) that stays under `maxBytes` at the parts' bitrate, with 5% to spare. */
export function partSecondsFor(maxBytes: number): number {
  return (maxBytes * 0.95 - PART_HEADER_BYTES) / PART_BITRATE_BYTES_PER_SECOND
}

export async function splitAudio(
  inputPath: string,
  options: { partSeconds: number; outputDir: string; prefix: string; offsetMs?: number; signal?: AbortSignal },
): Promise<AudioPart[]> {
  const list = join(options.outputDir, `${options.prefix}.csv`)
  const result = await runMediaTool(
    [
      'ffmpeg',
      '-nostdin',
      '-v',
      'error',
      '-y',
      '-i',
      inputPath,
      // The first audio stream only: video, subtitles and data are dropped.
      '-map',
      '0:a:0',
      '-vn',
      '-sn',
      '-dn',
      '-ac',
      '1',
      '-ar',
      '16000',
      '-c:a',
      'libmp3lame',
      '-b:a',
      '64k',
      '-f',
      'segment',
      '-segment_time',
      options.partSeconds.toFixed(3),
      '-segment_format',
      'mp3',
      '-reset_timestamps',
      '1',
      '-segment_list',
      list,
      '-segment_list_type',
      'csv',
      join(options.outputDir, `${options.prefix}-%04d.mp3`),
    ],
    options.signal,
  )
  if (result.code !== 0) {
    throw new AppError(
      422,
      'audio_unreadable',
      'Unprocessable content',
      `The audio could not be converted for transcription: ${result.stderr.trim().split('\n').pop() ?? ''}`,
      {
        extras: { retryable: false },
      },
    )
  }
  const offsetMs = options.offsetMs ?? 0
  const parts = (await Bun.file(list).text())
    .trim()
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => {
      const [name, start, end] = line.split(',')
      const startMs = Math.round(Number(start) * 1000)
      return { path: join(options.outputDir, name!), startMs: offsetMs + startMs, durationMs: Math.round(Number(end) * 1000) - startMs }
    })
  // The list is ffmpeg's record of what it wrote; check it against the directory anyway.
  const written = new Set(await readdir(options.outputDir))
  if (parts.length === 0 || parts.some((p) => !written.has(p.path.slice(options.outputDir.length + 1)) || !(p.durationMs >= 0))) {
    throw new Error(`ffmpeg's segment list ${list} does not match the parts it wrote`)
  }
  return parts
}
