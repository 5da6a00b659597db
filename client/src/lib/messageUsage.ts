// The asker's message allowance as the last answer reported it (usage headers)
// or as a refusal stated it, so the composer can warn at 80 % and 100 %
// without reloading. Written only in the browser: on the server this module is
// shared between requests.
import { createSignal } from "solid-js";

export type MessageUsage = { used: number; limit: number | null; resetsAt: string | null };

const [live, setLive] = createSignal<MessageUsage | null>(null);
export const liveMessageUsage = live;

export function noteUsageHeaders(headers: Headers): void {
  const used = headers.get("x-usage-messages-used");
  if (used === null) return;
  const limit = headers.get("x-usage-messages-limit");
  setLive({ used: Number(used), limit: limit === null ? null : Number(limit), resetsAt: headers.get("x-usage-resets-at") });
}

/** A 402 for messages carries the figures of the limit that was hit. */
export function noteRefusal(problem: Record<string, unknown>): void {
  if (problem.code !== "quota_exceeded" || problem.dimension !== "messages") return;
  const n = (v: unknown) => (typeof v === "number" ? v : null);
  setLive({
    used: n(problem.used) ?? 0,
    limit: n(problem.limit),
    resetsAt: typeof problem.resetsAt === "string" ? problem.resetsAt : null,
  });
}
