// Error reporting to Sentry, or any receiver that speaks its envelope protocol
// (GlitchTip, a self-hosted Sentry). Off unless SENTRY_DSN is set: then nothing
// is installed and `reportError` does nothing. On, the api reports every 5xx it
// answers, the worker every job that fails its last attempt, and both their
// uncaught exceptions and unhandled rejections; each report carries release,
// environment, service, request id and the OpenTelemetry trace id, and goes
// through `scrubEvent` first. Sentry's own tracing stays off: traces are
// OpenTelemetry's (tracing.ts), and the trace id ties the two together.
import { readFileSync } from 'node:fs'
import { context, trace } from '@opentelemetry/api'
import * as Sentry from '@sentry/bun'
import type { Config } from './config.ts'
import { scrubEvent } from './scrub.ts'

export type ErrorReporting = { flush(timeoutMs?: number): Promise<boolean>; close(timeoutMs?: number): Promise<boolean> }
export type ErrorReportingConfig = Pick<Config, 'SENTRY_DSN' | 'SENTRY_ENVIRONMENT' | 'SENTRY_RELEASE' | 'NODE_ENV'>

let enabled = false

/** SENTRY_RELEASE, else the commit of the release being run (its RELEASE file, see scripts/deploy/release.sh), else git's HEAD. */
export function releaseName(configured: string | undefined, cwd = process.cwd()): string | undefined {
  if (configured) return configured
  try {
    const commit = (JSON.parse(readFileSync(`${cwd}/RELEASE`, 'utf8')) as { commit?: unknown }).commit
    if (typeof commit === 'string' && commit) return commit
  } catch {
    // Not a packaged release: ask git.
  }
  const git = Bun.spawnSync(['git', 'rev-parse', 'HEAD'], { cwd, stdout: 'pipe', stderr: 'ignore' })
  return git.success ? git.stdout.toString().trim() || undefined : undefined
}

/** What the web app's pages are told about reporting browser errors (SENTRY_BROWSER_DSN); null when off. */
export function browserErrorReporting(
  config: Pick<Config, 'SENTRY_BROWSER_DSN' | 'SENTRY_ENVIRONMENT' | 'SENTRY_RELEASE' | 'NODE_ENV'>,
): { dsn: string; environment: string; release?: string } | null {
  if (!config.SENTRY_BROWSER_DSN) return null
  return {
    dsn: config.SENTRY_BROWSER_DSN,
    environment: config.SENTRY_ENVIRONMENT ?? config.NODE_ENV,
    release: releaseName(config.SENTRY_RELEASE),
  }
}

/** Installs the Sentry SDK when SENTRY_DSN is set; null (and nothing installed) otherwise. */
export function startErrorReporting(
  config: ErrorReportingConfig,
  service: 'api' | 'worker',
  options: { processHandlers?: boolean } = {},
): ErrorReporting | null {
  if (!config.SENTRY_DSN || enabled) return null
  Sentry.init({
    dsn: config.SENTRY_DSN,
    release: releaseName(config.SENTRY_RELEASE),
    environment: config.SENTRY_ENVIRONMENT ?? config.NODE_ENV,
    // Only what reports errors: no console/http/fetch wrappers (they would add
    // breadcrumbs with URLs and log lines), no request bodies, no local variables.
    defaultIntegrations: false,
    integrations: [
      Sentry.eventFiltersIntegration(),
      Sentry.functionToStringIntegration(),
      Sentry.linkedErrorsIntegration(),
      Sentry.dedupeIntegration(),
      // Tests run many apps in one process and leave its handlers alone.
      ...(options.processHandlers === false ? [] : [Sentry.onUncaughtExceptionIntegration(), Sentry.onUnhandledRejectionIntegration()]),
    ],
    sendClientReports: false,
    beforeSend: (event) => scrubEvent(event),
    beforeBreadcrumb: () => null,
    initialScope: { tags: { service } },
  })
  enabled = true
  return {
    flush: (timeoutMs = 2000) => Sentry.flush(timeoutMs),
    async close(timeoutMs = 2000) {
      const sent = await Sentry.close(timeoutMs)
      enabled = false
      return sent
    },
  }
}

export type ErrorDetails = {
  requestId?: string
  method?: string
  route?: string
  queue?: string
  jobId?: string
  attempt?: number
  userId?: string
}

/** Reports an error with what identifies its request or job and the active trace. Does nothing when reporting is off. */
export function reportError(error: unknown, details: ErrorDetails = {}): void {
  if (!enabled) return
  const span = trace.getSpanContext(context.active())
  Sentry.withScope((scope) => {
    const tags: Record<string, string | number> = {}
    for (const [key, value] of Object.entries(details)) if (value !== undefined && key !== 'userId') tags[snake(key)] = value
    if (span && span.traceId !== '00000000000000000000000000000000') {
      tags.trace_id = span.traceId
      tags.span_id = span.spanId
    }
    scope.setTags(tags)
    if (details.userId) scope.setUser({ id: details.userId })
    Sentry.captureException(error)
  })
}

const snake = (key: string) => key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`)
