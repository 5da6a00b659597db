// Runs ffmpeg/ffprobe to completion, killing it if the job is aborted. A missing
// binary is an installation problem, so it gets an error that names the package.

import { AppError } from '../../platform/errors'

export type ToolResult = { code: number; stdout: string; stderr: string }

export async function runMediaTool(args: [string, ...string[]], signal?: AbortSignal): Promise<ToolResult> {
  signal?.throwIfAborted()
  let child
  try {
    child = Bun.spawn(args, { stdin: 'ignore', stdout: 'pipe', stderr: 'pipe' })
  } catch (error) {
    throw new AppError(
      503,
      'ffmpeg_missing',
      'ffmpeg is not installed',
      `${args[0]} was not found: install ffmpeg (apt-get install ffmpeg) on the worker.`,
      {
        cause: error,
        extras: { retryable: false },
      },
    )
  }
  const kill = () => child.kill()
  signal?.addEventListener('abort', kill, { once: true })
  try {
    const [stdout, stderr, code] = await Promise.all([new Response(child.stdout).text(), new Response(child.stderr).text(), child.exited])
    signal?.throwIfAborted()
    return { code, stdout, stderr }
  } finally {
    signal?.removeEventListener('abort', kill)
  }
}
