// What a generation stream belongs to: an answer (messages) or an artifact
// version, and the message it was charged (billing). When a stream's api
// instance dies, generation/abandoned.ts settles it through these (the api's
// stream hub and the worker's maintenance job).
import { failInterruptedVersion } from './artifacts/sql.ts'
import { settleInterruptedStream } from './billing/quotas.ts'
import { failInterruptedAnswer } from './chat/messageSql.ts'
import { settleAbandonedStream, type SettleOwner } from './generation/abandoned.ts'
import type { Sql } from './platform/db.ts'

export const STREAM_OWNERS: SettleOwner[] = [failInterruptedAnswer, failInterruptedVersion, settleInterruptedStream]

/** The stream hub's `settle`: claims an expired lease and settles the stream. */
export const settleStream = (sql: Sql) => (streamId: string) => settleAbandonedStream(sql, streamId, STREAM_OWNERS)
