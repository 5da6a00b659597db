// How many of N streamed responses one Bun process can read at once: a local
// server streams a line every 50 ms to each of N fetches, and this prints how
// many fetches received at least three lines within the time given. Run as its
// own process (Bun reads its fetch limit when a process starts).
//
//   bun testing/fetchSlots.ts N WAIT_MS   → prints {"streams":N,"flowing":K}
const [n, waitMs] = process.argv.slice(2).map(Number) as [number, number]
const line = new TextEncoder().encode('tick\n')
const server = Bun.serve({
  port: 0,
  hostname: '127.0.0.1',
  idleTimeout: 0,
  fetch() {
    let timer: Timer | undefined
    const body = new ReadableStream({
      start(controller) {
        timer = setInterval(() => controller.enqueue(line), 50)
      },
      cancel() {
        clearInterval(timer)
      },
    })
    return new Response(body)
  },
})
const received = new Array<number>(n).fill(0)
const abort = new AbortController()
for (let i = 0; i < n; i++) {
  fetch(`http://127.0.0.1:${server.port}/`, { signal: abort.signal })
    .then(async (res) => {
      const reader = res.body!.getReader()
      while (!(await reader.read()).done) received[i]!++
    })
    .catch(() => {})
}
const flowing = () => received.filter((r) => r >= 3).length
const until = performance.now() + waitMs
while (flowing() < n && performance.now() < until) await Bun.sleep(50)
console.log(JSON.stringify({ streams: n, flowing: flowing() }))
abort.abort()
server.stop(true)
process.exit(0)

export {}
