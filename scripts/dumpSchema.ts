// `make schema`: regenerate sql/schema.sql from the migrations.
import { dumpSchema, SCHEMA_FILE } from '../testing/schemaDump.ts'

await Bun.write(SCHEMA_FILE, await dumpSchema())
console.log(`wrote ${SCHEMA_FILE}`)
