// Loaded before every test file (bunfig.toml). Tests run with quiet logs.
// (Hook timeouts come from `bun test --timeout` in the Makefile: Bun applies
// setDefaultTimeout from a preload to the first file only.)
process.env.NODE_ENV ??= 'test'
process.env.LOG_LEVEL ??= 'error'
