// Text built from many small pieces (an answer, token by token), held as a
// few flat strings. `text += piece` alone keeps every piece alive inside a
// rope: in JavaScriptCore two strings a piece, ~900 objects for a 450-token
// answer, held for as long as the answer streams.

const JOIN_EVERY = 64

export type TextBuffer = { append(piece: string): void; toString(): string }

export function createTextBuffer(): TextBuffer {
  let joined = ''
  let recent: string[] = []
  const settle = () => {
    if (!recent.length) return
    joined += recent.join('')
    recent = []
  }
  return {
    append(piece) {
      recent.push(piece)
      if (recent.length === JOIN_EVERY) settle()
    },
    toString() {
      settle()
      return joined
    },
  }
}
