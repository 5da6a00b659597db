// Loaded before every test file (bunfig.toml). Tests run with quiet logs and a
// fixed test secret unless a test sets its own.
process.env.NODE_ENV ??= 'test'
process.env.LOG_LEVEL ??= 'error'
