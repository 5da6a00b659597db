// `make dev`: the api (which serves the web app and, without DATABASE_URL, the
// embedded database), then the worker; prints one URL. Ctrl-C stops the worker
// first and the api last, since the api may own the database.
import { loadConfigOrExit } from '../server/platform/config.ts'

const config = loadConfigOrExit()
const root = new URL('..', import.meta.url).pathname
const bun = process.execPath

function spawn(name: string, file: string) {
  return Bun.spawn([bun, file], { cwd: root, env: process.env, stdout: 'inherit', stderr: 'inherit', onExit: (_p, code) => exited(name, code) })
}

let shuttingDown = false
function exited(name: string, code: number | null) {
  if (shuttingDown) return
  console.error(`\n${name} exited with code ${code}; stopping.`)
  void shutdown(1)
}

const api = spawn('api', 'server/main.ts')
const readyUrl = `http://127.0.0.1:${config.PORT}/readyz`
let ready = false
for (let i = 0; i < 240 && !ready && !shuttingDown; i++) {
  ready = await fetch(readyUrl).then((r) => r.ok, () => false)
  if (!ready) await Bun.sleep(250)
}
if (!ready) {
  console.error('The api did not become ready within 60 s; see the log above.')
  await shutdown(1)
}
const worker = spawn('worker', 'jobs/main.ts')

console.log(`\n  KnowledgeTree is running at ${config.PUBLIC_URL}\n  ${config.DATABASE_URL ? 'database: DATABASE_URL' : `database: embedded (${config.DATA_DIR}/pglite)`} · API docs: ${config.PUBLIC_URL}/api/docs · Ctrl-C stops everything\n`)

async function shutdown(code: number) {
  if (shuttingDown) return
  shuttingDown = true
  worker?.kill('SIGTERM')
  await worker?.exited
  api.kill('SIGTERM')
  await api.exited
  process.exit(code)
}
process.on('SIGINT', () => void shutdown(0))
process.on('SIGTERM', () => void shutdown(0))
