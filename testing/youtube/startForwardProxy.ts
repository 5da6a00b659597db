// A minimal HTTP forward proxy for tests: it accepts only absolute-form request
// targets (`GET http://host:port/path HTTP/1.1`), which is how a client talks
// to a proxy for http:// targets, records them, and forwards them directly.
// A request in origin-form means the client did not treat us as a proxy: 400.
export type ForwardProxy = { url: string; seen: string[]; stop(): void }

export function startForwardProxy(): ForwardProxy {
  const seen: string[] = []
  const server = Bun.serve({
    hostname: '127.0.0.1',
    port: 0,
    async fetch(request): Promise<Response> {
      const target = new URL(request.url)
      // Bun reports an origin-form request as http://<our host:port>/path.
      if (target.host === `127.0.0.1:${server.port}`) return new Response('not a proxy request', { status: 400 })
      seen.push(`${request.method} ${target.href}`)
      const headers = new Headers(request.headers)
      for (const name of ['proxy-authorization', 'proxy-connection', 'connection']) headers.delete(name)
      const upstream = await fetch(target.href, {
        method: request.method,
        headers,
        body: request.method === 'GET' || request.method === 'HEAD' ? undefined : await request.arrayBuffer(),
        redirect: 'manual',
        proxy: false,
      })
      return new Response(upstream.body, { status: upstream.status, headers: upstream.headers })
    },
  })
  return { url: `http://127.0.0.1:${server.port}`, seen, stop: () => server.stop(true) }
}
