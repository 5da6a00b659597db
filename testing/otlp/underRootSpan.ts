// Runs a test's calls the way the product runs them: inside an operation's
// span (a request, a job). Spans below an operation are built only inside a
// recording span, so a client call made outside any builds none.
import { tracer } from '../../server/platform/tracing.ts'

export function underRootSpan<T>(fn: () => Promise<T>): Promise<T> {
  return tracer.startActiveSpan('test root', async (root) => {
    try {
      return await fn()
    } finally {
      root.end()
    }
  })
}
