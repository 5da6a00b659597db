// The monitoring role's TLS expiry script (node exporter textfile collector)
// run on real certificates: what it writes is valid Prometheus text (promtool
// check metrics), carries the notAfter Bun's own X.509 parser reads, and names
// a missing certificate instead of leaving it out.
import { afterAll, beforeAll, expect, test } from 'bun:test'
import { X509Certificate } from 'node:crypto'
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

const SCRIPT = join(import.meta.dir, '..', 'ansible', 'roles', 'monitoring', 'files', 'knowledgetree-tls-expiry')

let dir: string
const run = (cmd: string[], stdin?: string) => {
  const r = Bun.spawnSync(cmd, { stdin: stdin === undefined ? 'ignore' : new TextEncoder().encode(stdin), stderr: 'pipe', stdout: 'pipe' })
  return { code: r.exitCode, out: r.stdout.toString() + r.stderr.toString() }
}

function makeCertificate(name: string, days: number): string {
  const path = join(dir, name)
  const made = run([
    'openssl',
    'req',
    '-x509',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-keyout',
    `${path}.key`,
    '-out',
    path,
    '-days',
    String(days),
    '-subj',
    '/CN=kt.example.com',
  ])
  expect(made).toMatchObject({ code: 0 })
  return path
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'kt-tls-expiry-'))
})
afterAll(() => rmSync(dir, { recursive: true, force: true }))

test('writes each certificate’s notAfter as a Unix time, and a missing one as unreadable', () => {
  const soon = makeCertificate('soon.pem', 10)
  const later = makeCertificate('later "quoted".pem', 90)
  const missing = join(dir, 'missing.pem')
  const out = join(dir, 'tls.prom')

  const result = run([SCRIPT, out, soon, later, missing])
  expect(result.code).toBe(0)
  expect(result.out).toContain(`cannot read the certificate ${missing}`)
  const text = readFileSync(out, 'utf8')
  expect(run(['promtool', 'check', 'metrics'], text)).toEqual({ code: 0, out: '' })

  const notAfter = (path: string) => Date.parse(new X509Certificate(readFileSync(path)).validTo) / 1000
  const escaped = (path: string) => path.replace(/["\\]/g, '\\$&')
  expect(text).toContain(`kt_tls_certificate_not_after_seconds{path="${soon}"} ${notAfter(soon)}\n`)
  expect(text).toContain(`kt_tls_certificate_not_after_seconds{path="${escaped(later)}"} ${notAfter(later)}\n`)
  expect(text).toContain(`kt_tls_certificate_readable{path="${soon}"} 1\n`)
  expect(text).toContain(`kt_tls_certificate_readable{path="${missing}"} 0\n`)
  expect(text).not.toContain(`kt_tls_certificate_not_after_seconds{path="${missing}"}`)
  // Replaced in one rename: no temporary file is left beside it.
  expect(readdirSync(dir).filter((f) => f.startsWith('tls.prom'))).toEqual(['tls.prom'])
})

test('without an output path it refuses, and writes nothing', () => {
  expect(run([SCRIPT]).code).toBe(64)
})
