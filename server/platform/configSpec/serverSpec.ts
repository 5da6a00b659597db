// Configuration of the process itself: runtime mode, the HTTP listener, the
// database and its pools, logging, request and shutdown limits; and where the
// built web app is served from.
import { bool, int, oneOf, postgresUrl, str, url, type Spec } from './parsers.ts'

export const serverSpec = {
  NODE_ENV: {
    description: 'Runtime mode. `production` turns on Secure cookies everywhere and hides dev conveniences.',
    allowed: 'development, production or test',
    parse: oneOf('development', 'production', 'test'),
    default: 'development',
  },
  HOST: { description: 'Interface the api binds to.', allowed: 'a host name or IP address', parse: str, default: '127.0.0.1' },
  PORT: {
    description: 'Port the api (and, in one-process mode, the web app) listens on.',
    allowed: 'an integer from 0 to 65535',
    parse: int(0, 65535),
    default: 3000,
  },
  PUBLIC_URL: {
    description: 'The URL people use to reach the app (links in emails, OAuth redirect URLs, allowed Origin).',
    allowed: 'an http(s) URL',
    parse: url,
    default: 'http://localhost:3000',
    defaultText: '`http://localhost:$PORT`',
  },
  DATABASE_URL: {
    description:
      'Postgres 15+ with pgvector. Unset: an embedded Postgres (PGlite) under `DATA_DIR` is started and served over the wire protocol.',
    allowed: 'a postgres:// URL',
    parse: postgresUrl,
    optional: true,
    secret: true,
  },
  ALLOW_EMBEDDED_DB_IN_PRODUCTION: {
    description:
      'Let `NODE_ENV=production` run without `DATABASE_URL` on the embedded database (one process, one query at a time; it listens on loopback only and asks for a password that is new at every start, but it has no roles, TLS or backups). Off: production refuses to start without `DATABASE_URL`.',
    allowed: 'true or false',
    parse: bool,
    default: false,
  },
  API_DOCS: {
    description:
      'Serve the interactive API reference at `/api/docs` (Swagger UI from the pinned `swagger-ui-dist` package, served by the app under a strict CSP). Default: on outside production, off in production. `/api/openapi.json` is served either way.',
    allowed: 'on or off',
    parse: bool,
    optional: true,
    defaultText: 'on, off in production',
  },
  DATA_DIR: { description: 'Where the embedded database and local state live.', allowed: 'a directory path', parse: str, default: '.data' },
  EMBEDDED_DB_PORT: {
    description: 'Loopback port the embedded database is served on (0 picks a free one).',
    allowed: 'an integer from 0 to 65535',
    parse: int(0, 65535),
    default: 54329,
  },
  DB_POOL_MAX: {
    description:
      'Connections in each api instance’s postgres.js query pool. A worker’s pool is `WORKER_CONCURRENCY` + 1; every process also holds pg-boss connections, and the api one LISTEN connection. Each process logs its share and the server’s `max_connections` at start; docs/SCALING.md has the fleet budget.',
    allowed: 'an integer from 1 to 200',
    parse: int(1, 200),
    default: 10,
  },
  LOG_LEVEL: {
    description: 'Least severe log level written (JSON lines on stdout).',
    allowed: 'debug, info, warn or error',
    parse: oneOf('debug', 'info', 'warn', 'error'),
    default: 'info',
  },
  BODY_LIMIT_BYTES: {
    description: 'Largest JSON request body accepted; larger gets 413.',
    allowed: 'an integer from 1024 to 1073741824',
    parse: int(1024, 1024 ** 3),
    default: 1024 * 1024,
  },
  SHUTDOWN_TIMEOUT_MS: {
    description: 'How long in-flight requests and jobs may take to finish after SIGTERM.',
    allowed: 'an integer from 0 to 600000',
    parse: int(0, 600_000),
    default: 15_000,
  },
  WORKER_CONCURRENCY: {
    description: 'Jobs each worker process runs at once per queue.',
    allowed: 'an integer from 1 to 64',
    parse: int(1, 64),
    default: 2,
  },
  DATABASE_POOLER_URL: {
    description:
      'Optional connection pooler (PgBouncer in transaction mode) for the api’s query pool. Set: request queries go through it with prepared statements off, while LISTEN/NOTIFY, migrations and the job queue keep direct connections on `DATABASE_URL`. See docs/SCALING.md.',
    allowed: 'a postgres:// URL',
    parse: postgresUrl,
    optional: true,
    secret: true,
  },
  DB_ACQUIRE_TIMEOUT_MS: {
    description:
      'How long `/readyz` waits for a pool connection before it answers 503 (naming an exhausted pool or an unreachable database) instead of queueing.',
    allowed: 'an integer from 100 to 60000',
    parse: int(100, 60_000),
    default: 2000,
  },
} satisfies Record<string, Spec<unknown>>

// Last in the README table (config.ts spreads it after every other part).
export const webAppSpec = {
  WEB_DIST_DIR: {
    description: 'Built SolidStart app served for every non-API path (`make build` writes it).',
    allowed: 'a directory path',
    parse: str,
    default: 'client/.output',
  },
} satisfies Record<string, Spec<unknown>>
