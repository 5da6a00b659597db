// Configuration of what the processes tell operators: Prometheus /metrics
// endpoints, OpenTelemetry tracing and Sentry error reports.
import { int, minLength, num, oneOf, sentryDsn, str, url, type Spec } from './parsers.ts'

export const observabilitySpec = {
  METRICS_TOKEN: {
    description:
      'Bearer token every `/metrics` endpoint (Prometheus text) requires. Unset: the api answers /metrics only to connections from the same host, and in production not at all on its public port (a same-host proxy would make every visitor look local): use this token or `METRICS_PORT`.',
    allowed: 'a string of at least 16 characters',
    parse: minLength(16),
    optional: true,
    secret: true,
  },
  METRICS_PORT: {
    description:
      'Serve the api’s /metrics on this separate port (on `METRICS_HOST`) instead of its public one, where /metrics then answers 404. Keep it off the internet (firewall); `METRICS_TOKEN` still applies when set.',
    allowed: 'an integer from 0 to 65535',
    parse: int(0, 65535),
    optional: true,
  },
  METRICS_HOST: {
    description:
      'Interface the separate metrics listeners (`METRICS_PORT`, `WORKER_METRICS_PORT`) bind to; a private address when Prometheus runs on another host.',
    allowed: 'a host name or IP address',
    parse: str,
    default: '127.0.0.1',
  },
  WORKER_METRICS_PORT: {
    description:
      'Port a worker process serves /metrics on (on `METRICS_HOST`); each worker on a host needs its own (systemd: `Environment=WORKER_METRICS_PORT=941%i`). 0 picks a free port and logs it. Unset: the worker serves no metrics.',
    allowed: 'an integer from 0 to 65535',
    parse: int(0, 65535),
    optional: true,
  },
  OTEL_EXPORTER_OTLP_ENDPOINT: {
    description:
      'OTLP/HTTP endpoint traces are sent to (`/v1/traces` is appended): an OpenTelemetry Collector, Jaeger, Tempo, Honeycomb, Grafana Cloud. Unset: tracing is off and costs nothing. Headers (API keys) go in `OTEL_EXPORTER_OTLP_HEADERS`, read by the exporter.',
    allowed: 'an http(s) URL',
    parse: url,
    optional: true,
  },
  OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: {
    description: 'Full OTLP/HTTP traces URL, used as is; overrides `OTEL_EXPORTER_OTLP_ENDPOINT`.',
    allowed: 'an http(s) URL',
    parse: url,
    optional: true,
  },
  OTEL_SERVICE_NAME: {
    description: 'Service name on every span. Unset: `knowledgetree-api` for the api, `knowledgetree-worker` for workers.',
    allowed: 'a string',
    parse: str,
    optional: true,
  },
  OTEL_RESOURCE_ATTRIBUTES: {
    description: 'Extra resource attributes on every span, e.g. `deployment.environment.name=production,service.instance.id=app1-3001`.',
    allowed: 'key=value pairs separated by commas (percent-encoded)',
    parse: str,
    optional: true,
  },
  OTEL_TRACES_SAMPLER: {
    description:
      'Which traces are kept. `parentbased_traceidratio` with `OTEL_TRACES_SAMPLER_ARG=0.1` keeps a tenth of new traces and follows the caller’s decision for continued ones.',
    allowed: 'always_on, always_off, traceidratio, parentbased_always_on, parentbased_always_off or parentbased_traceidratio',
    parse: oneOf('always_on', 'always_off', 'traceidratio', 'parentbased_always_on', 'parentbased_always_off', 'parentbased_traceidratio'),
    default: 'parentbased_always_on',
  },
  OTEL_TRACES_SAMPLER_ARG: {
    description: 'Sampling ratio for the `*traceidratio` samplers.',
    allowed: 'a number from 0 to 1',
    parse: num(0, 1),
    optional: true,
  },
  SENTRY_DSN: {
    description:
      'Sentry (or GlitchTip) DSN the api and workers report errors to: every 5xx answer, every job that fails its last attempt, uncaught exceptions; scrubbed of emails, tokens, cookies, bodies and query strings. Unset: nothing is reported or installed.',
    allowed: 'a DSN such as https://<key>@o1.ingest.sentry.io/<project>',
    parse: sentryDsn,
    optional: true,
    secret: true,
  },
  SENTRY_BROWSER_DSN: {
    description:
      'DSN the web app reports browser errors to (it is visible to visitors, as browser DSNs are; give it its own project). Unset: the browser reports nothing and loads no Sentry code.',
    allowed: 'a DSN',
    parse: sentryDsn,
    optional: true,
  },
  SENTRY_ENVIRONMENT: {
    description: 'Environment name on error reports. Unset: `NODE_ENV`.',
    allowed: 'a string',
    parse: str,
    optional: true,
  },
  SENTRY_RELEASE: {
    description: 'Release name on error reports. Unset: the commit of the deployed release (its RELEASE file), else `git rev-parse HEAD`.',
    allowed: 'a string',
    parse: str,
    optional: true,
  },
} satisfies Record<string, Spec<unknown>>
