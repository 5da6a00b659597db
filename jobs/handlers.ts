// Which function handles which queue.
import { maintenance } from './maintenance.ts'
import type { JobHandlers } from './worker.ts'

export const handlers: JobHandlers = {
  maintenance,
}
