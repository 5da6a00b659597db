// The held-out split: constants (fusion, moment selection, chunk length) are
// chosen on the "choose" half of QMSum's test meetings and reported on the
// "report" half, so no figure in RESULTS.md is fitted to the queries it
// scores. Meetings alternate in id order: the halves mix the corpus's three
// sources (AMI, ICSI, parliament) about evenly.
import type { QmsumMeeting } from './qmsum.ts'

export const SPLITS = ['choose', 'report', 'all'] as const
export type Split = (typeof SPLITS)[number]

export function splitMeetings(meetings: readonly QmsumMeeting[], split: Split): QmsumMeeting[] {
  const sorted = [...meetings].sort((a, b) => a.id.localeCompare(b.id))
  if (split === 'all') return sorted
  return sorted.filter((_, i) => (i % 2 === 0) === (split === 'choose'))
}
