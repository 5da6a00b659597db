// Retrieved passages inside a prompt: a clearly delimited data block, escaped
// so that nothing in a transcript can close the block or pose as an instruction.

export type PromptSource = { n: number; videoTitle: string; startMs: number | null; endMs: number | null; speakers: string[]; text: string }

/** Transcript or user text inside a prompt block: nothing in it can open or close a tag. */
export function escapeData(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')
}

export function formatTimestamp(ms: number | null): string {
  if (ms === null) return 'untimed'
  const s = Math.floor(ms / 1000)
  const h = Math.floor(s / 3600)
  const m = Math.floor((s % 3600) / 60)
  const sec = String(s % 60).padStart(2, '0')
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${sec}` : `${m}:${sec}`
}

export function sourcesBlock(sources: PromptSource[]): string {
  if (sources.length === 0) return '<sources>\n(no passage matched the question)\n</sources>'
  const items = sources.map((s) => {
    const attrs = `n="${s.n}" video="${escapeData(s.videoTitle).replace(/"/g, '&quot;')}" time="${formatTimestamp(s.startMs)}–${formatTimestamp(s.endMs)}"${s.speakers.length ? ` speakers="${escapeData(s.speakers.join(', ')).replace(/"/g, '&quot;')}"` : ''}`
    return `<source ${attrs}>\n${escapeData(s.text)}\n</source>`
  })
  return `<sources>\n${items.join('\n')}\n</sources>`
}
