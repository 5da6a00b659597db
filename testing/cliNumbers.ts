// The emulators' command lines (anthropic/cli.ts, openai/cli.ts) read numeric
// options the same way: a non-negative number, or exit 2 with the usage.

export function numberArgOf(usage: string): (name: string, value: string | undefined) => number | undefined {
  return (name, value) => {
    if (value === undefined) return undefined
    const n = Number(value)
    if (!Number.isFinite(n) || n < 0) {
      console.error(`--${name} must be a non-negative number, got ${JSON.stringify(value)}\n\n${usage}`)
      process.exit(2)
    }
    return n
  }
}
