// The transcription minutes to reserve for an upload: the container's duration
// when ffprobe can read it, otherwise the size at 128 kbit/s. The exact figure
// is settled once the file is transcribed.
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { UploadedFile } from './readUpload.ts'
import { probeMedia } from './transcription/probeMedia.ts'

const ASSUMED_BYTES_PER_SECOND = 16_000

export async function estimateMinutes(file: UploadedFile): Promise<number> {
  const dir = await mkdtemp(join(tmpdir(), 'kt-probe-'))
  try {
    const path = join(dir, 'input' + (/\.[A-Za-z0-9]{1,8}$/.exec(file.filename)?.[0] ?? ''))
    await writeFile(path, file.bytes)
    const { durationMs } = await probeMedia(path, file.filename, AbortSignal.timeout(10_000))
    if (durationMs) return Math.max(1, Math.ceil(durationMs / 60_000))
  } catch {
    // Unreadable here: the pipeline says why; reserve by size meanwhile.
  } finally {
    await rm(dir, { recursive: true, force: true })
  }
  return Math.max(1, Math.ceil(file.bytes.byteLength / ASSUMED_BYTES_PER_SECOND / 60))
}
