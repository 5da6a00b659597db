// The shared datasets (real transcripts, QMSum) live beside the repository, in
// `../shared/datasets`, not in it. Tests that read them get their paths here
// and skip, saying why, on a checkout without them.
import { describe } from 'bun:test'
import { existsSync } from 'node:fs'
import { join, resolve } from 'node:path'

export const DATASETS_DIR = resolve(import.meta.dir, '..', '..', 'shared', 'datasets')
export const TRANSCRIPTS_DIR = join(DATASETS_DIR, 'transcripts')
export const HAS_DATASETS = existsSync(TRANSCRIPTS_DIR)

/** A file of the shared transcript dataset. */
export function transcriptPath(name: string): string {
  return join(TRANSCRIPTS_DIR, name)
}

/** `describe` for tests that read the shared datasets: skipped, with the reason printed, when they are missing. */
export function describeWithDatasets(label: string, body: () => void): void {
  if (!HAS_DATASETS) console.warn(`skipping "${label}": the shared datasets are not at ${DATASETS_DIR}`)
  describe.skipIf(!HAS_DATASETS)(label, body)
}
