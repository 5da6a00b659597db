// The baseline: a bare Bun.serve hello-world on the same machine, so the api's
// figures can be read as a ratio that survives a change of hardware.
const server = Bun.serve({
  hostname: '127.0.0.1',
  port: Number(process.env.PORT ?? 0),
  fetch: () => new Response('Hello, world!'),
})
process.on('SIGTERM', () => {
  void server.stop(true)
  process.exit(0)
})
