// `make dev`: the api (which serves the web app and, without DATABASE_URL, the
// embedded database), then the worker; prints one URL. Ctrl-C stops the worker
// first and the api last, since the api may own the database.
// `make dev WATCH=1` (KT_DEV_WATCH=1): Vite's dev server runs too and the api
// hands it every page request, so client edits show at once (hot module
// replacement) without `make build`.
import { loadConfigOrExit } from '../server/platform/config.ts'
import { FETCH_LIMIT, FETCH_LIMIT_VARIABLE } from '../server/platform/fetchLimit.ts'

const config = loadConfigOrExit()
const root = new URL('..', import.meta.url).pathname
const bun = process.execPath
const watch = ['1', 'true', 'yes'].includes((process.env.KT_DEV_WATCH ?? '').toLowerCase())

type Child = ReturnType<typeof Bun.spawn>

function spawn(name: string, argv: string[], options: { cwd?: string; env?: Record<string, string> } = {}): Child {
  return Bun.spawn(argv, {
    cwd: options.cwd ?? root,
    env: { ...process.env, [FETCH_LIMIT_VARIABLE]: String(FETCH_LIMIT), ...options.env },
    stdout: 'inherit',
    stderr: 'inherit',
    onExit: (_p, code) => exited(name, code),
  })
}

let shuttingDown = false
function exited(name: string, code: number | null) {
  if (shuttingDown) return
  console.error(`\n${name} exited with code ${code}; stopping.`)
  void shutdown(1)
}

async function waitFor(url: string, what: string, seconds: number): Promise<void> {
  for (let i = 0; i < seconds * 4 && !shuttingDown; i++) {
    if (
      await fetch(url).then(
        (r) => r.status < 500,
        () => false,
      )
    )
      return
    await Bun.sleep(250)
  }
  if (shuttingDown) return
  console.error(`${what} did not answer within ${seconds} s; see the log above.`)
  await shutdown(1)
}

function freePort(): number {
  const probe = Bun.serve({ port: 0, hostname: '127.0.0.1', fetch: () => new Response() })
  const port = probe.port!
  probe.stop(true)
  return port
}

let vite: Child | null = null
let api: Child | null = null
let worker: Child | null = null
let viteUrl: string | null = null
if (watch) {
  const port = Number(process.env.KT_WEB_DEV_PORT) || freePort()
  viteUrl = `http://127.0.0.1:${port}`
  vite = spawn('vite', [bun, '--bun', `${root}node_modules/.bin/vite`, 'dev', '--host', '127.0.0.1'], {
    cwd: `${root}client`,
    env: { KT_WEB_DEV_PORT: String(port), KT_DEV_API_URL: `http://127.0.0.1:${config.PORT}` },
  })
  await waitFor(`${viteUrl}/favicon.svg`, "Vite's dev server", 60)
}

api = spawn('api', [bun, 'server/main.ts'], { env: viteUrl ? { KT_DEV_WEB_URL: viteUrl } : {} })
await waitFor(`http://127.0.0.1:${config.PORT}/readyz`, 'The api', 60)
worker = spawn('worker', [bun, 'jobs/main.ts'])

const database = config.DATABASE_URL ? 'database: DATABASE_URL' : `database: embedded (${config.DATA_DIR}/pglite)`
const web = watch ? `web app: Vite dev server (${viteUrl}), edits reload live` : 'web app: client/.output (rebuilt when client/ changed)'
console.log(
  `\n  KnowledgeTree is running at ${config.PUBLIC_URL}\n  ${database} · ${web}\n  API docs: ${config.PUBLIC_URL}/api/docs · Ctrl-C stops everything\n`,
)

async function shutdown(code: number) {
  if (shuttingDown) return
  shuttingDown = true
  for (const child of [worker, api, vite]) {
    child?.kill('SIGTERM')
    await child?.exited
  }
  process.exit(code)
}
process.on('SIGINT', () => void shutdown(0))
process.on('SIGTERM', () => void shutdown(0))
