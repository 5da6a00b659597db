// Loaded before every test file (bunfig.toml). Tests run with quiet logs, and
// hooks get the same generous timeout as tests: a 2-core CI machine building
// databases and seeding corpora is slower than a laptop.
import { setDefaultTimeout } from 'bun:test'

process.env.NODE_ENV ??= 'test'
process.env.LOG_LEVEL ??= 'error'
setDefaultTimeout(60_000)
