// Which function handles which queue.
import { embed } from './embed.ts'
import { ingest } from './ingest.ts'
import { maintenance } from './maintenance.ts'
import { reembed } from './reembed.ts'
import type { JobHandlers } from './worker.ts'

export const handlers: JobHandlers = {
  maintenance,
  ingest,
  embed,
  reembed,
}
