// `make test` runs this once before `bun test`: a migrated template database.
import { buildTemplate, TEMPLATE_DB } from './testDatabase.ts'

await buildTemplate()
console.log(`template database ${TEMPLATE_DB} ready`)
