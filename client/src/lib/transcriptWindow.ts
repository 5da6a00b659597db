// The transcript page renders a window of lines around the moment (`?t=`) on
// the server, and fetches the rest in the browser once it is interactive: a
// 74-minute talk's 1,890 lines made a 1 MB page that took seconds to hydrate.
import { query } from "@solidjs/router";
import { isUuid } from "./browserApi";
import { apiRequired, jsonOrNull } from "./serverApi";
import type { Segment } from "./types";

/** Lines rendered on the server: a screenful before the moment and a few after. */
export const WINDOW_BEFORE = 20;
export const WINDOW_AFTER = 60;

export type TranscriptWindow = {
  /** The lines around the moment, in order. */
  segments: Segment[];
  /** Lines in the whole transcript. */
  total: number;
  /** The most frequent speakers with their line counts (at most 8). */
  speakers: [string, number][];
};

/** Index of the segment playing at `ms`: the last one that starts at or before it; null without a time. */
export function indexAt(segments: readonly Segment[], ms: number | null): number | null {
  if (ms === null || segments.length === 0) return null;
  let found = -1;
  for (let i = 0; i < segments.length; i++) {
    const start = segments[i]!.startMs;
    if (start === null) continue;
    if (start <= ms) found = i;
    else break;
  }
  return Math.max(0, found);
}

export const getTranscriptWindow = query(async (id: string, atSeconds: number | null): Promise<TranscriptWindow> => {
  "use server";
  if (!isUuid(id)) return { segments: [], total: 0, speakers: [] };
  const body = await jsonOrNull<{ segments: Segment[] }>(await apiRequired(`/api/videos/${id}/transcript`));
  const all = body?.segments ?? [];
  // `t` is whole seconds (floored): a line starting within that second is the one meant.
  const at = indexAt(all, atSeconds === null ? null : atSeconds * 1000 + 999) ?? 0;
  const from = Math.max(0, at - WINDOW_BEFORE);
  const counts = new Map<string, number>();
  for (const s of all) if (s.speaker) counts.set(s.speaker, (counts.get(s.speaker) ?? 0) + 1);
  const speakers = [...counts.entries()].sort((a, b) => b[1] - a[1]).slice(0, 8);
  return { segments: all.slice(from, at + WINDOW_AFTER), total: all.length, speakers };
}, "transcriptWindow");
