// A real nginx (Debian's binary) on a free loopback port, configured with what
// the Ansible nginx role installs (ansible/roles/nginx/: the http settings and
// the proxy locations), proxying to a test api. Everything lives in a temp prefix.
import { mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

const NGINX = ['/usr/sbin/nginx', '/usr/bin/nginx'].find((p) => Bun.file(p).size > 0) ?? 'nginx'
const ROLE = join(import.meta.dir, '..', 'ansible', 'roles', 'nginx')

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port
      s.close(() => resolve(port))
    })
  })
}

/**
 * `upstream`: one api's host:port, or several (nginx balances over them, as
 * over a host's instances in the deploy). `allowMetrics`: drop the role's
 * `return 404` for /metrics, to prove the api refuses on its own.
 * `workerConnections`: raise for load tests (each proxied client takes two).
 */
export async function startNginx(
  upstream: string | string[],
  options: { allowMetrics?: boolean; workerConnections?: number } = {},
): Promise<{ url: string; stop(): Promise<void> }> {
  const servers = Array.isArray(upstream) ? upstream : [upstream]
  const prefix = mkdtempSync(join(tmpdir(), 'kt-nginx-'))
  for (const d of ['logs', 'tmp']) mkdirSync(join(prefix, d))
  const port = await freePort()
  // The role's snippets, with their include paths pointed into the prefix.
  for (const f of ['knowledgetree-proxy.conf', 'knowledgetree-proxy-headers.conf']) {
    let snippet = readFileSync(join(ROLE, 'files', f), 'utf8').replaceAll('/etc/nginx/snippets/', `${prefix}/`)
    if (options.allowMetrics) snippet = snippet.replace('location = /metrics { return 404; }', '')
    writeFileSync(join(prefix, f), snippet)
  }
  const http = readFileSync(join(ROLE, 'templates', 'knowledgetree-http.conf.j2'), 'utf8').replace(/^.*\{\{.*$/gm, '')
  const conf = `worker_processes 1;
pid ${prefix}/nginx.pid;
error_log ${prefix}/logs/error.log warn;
events { worker_connections ${options.workerConnections ?? 256}; }
http {
  access_log off;
  client_body_temp_path ${prefix}/tmp/body;
  proxy_temp_path ${prefix}/tmp/proxy;
  fastcgi_temp_path ${prefix}/tmp/fastcgi;
  uwsgi_temp_path ${prefix}/tmp/uwsgi;
  scgi_temp_path ${prefix}/tmp/scgi;
  gzip on;  # as Debian's nginx.conf has it
  ${http}
  upstream knowledgetree { ${servers.map((s) => `server ${s};`).join(' ')} keepalive ${servers.length > 1 ? 64 : 8}; }
  server {
    listen 127.0.0.1:${port};
    client_max_body_size 210m;
    include ${prefix}/knowledgetree-proxy.conf;
  }
}
`
  writeFileSync(join(prefix, 'nginx.conf'), conf)
  const proc = Bun.spawn([NGINX, '-p', prefix, '-e', `${prefix}/logs/error.log`, '-c', join(prefix, 'nginx.conf'), '-g', 'daemon off;'], {
    stdout: 'ignore',
    stderr: 'pipe',
  })
  const url = `http://127.0.0.1:${port}`
  for (let i = 0; i < 100; i++) {
    if (
      await fetch(`${url}/healthz`).then(
        (r) => r.ok,
        () => false,
      )
    )
      break
    if (proc.exitCode !== null) throw new Error(`nginx exited: ${await new Response(proc.stderr).text()}`)
    await Bun.sleep(50)
  }
  return {
    url,
    async stop() {
      proc.kill('SIGQUIT')
      await proc.exited
      rmSync(prefix, { recursive: true, force: true })
    },
  }
}
