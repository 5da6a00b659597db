// Small formatting helpers shared by the chat components.

/** 75 → "1:15", 3725 → "1:02:05". */
export function formatClock(totalSeconds: number): string {
  const s = Math.max(0, Math.floor(totalSeconds));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = String(s % 60).padStart(2, "0");
  return h > 0 ? `${h}:${String(m).padStart(2, "0")}:${sec}` : `${m}:${sec}`;
}

export function formatRange(start: number | null, end: number | null): string {
  if (start === null) return "No timestamps";
  return end === null || end <= start ? formatClock(start) : `${formatClock(start)}–${formatClock(end)}`;
}

/** Where a source opens in this app: the transcript viewer at its second. */
/** The transcript at a moment: `t` where it opens, `until` where the highlighted lines end. */
export function transcriptHref(videoId: string, startSeconds: number | null, untilSeconds?: number | null): string {
  const until = startSeconds !== null && untilSeconds != null && untilSeconds > startSeconds ? `&until=${untilSeconds}` : "";
  return `/videos/${encodeURIComponent(videoId)}${startSeconds === null ? "" : `?t=${startSeconds}${until}`}`;
}

/** Where a source or citation opens: its moment when it has one, else its passage start. */
export function momentHref(s: {
  videoId: string;
  startSeconds: number | null;
  momentSeconds?: number | null;
  momentEndMs?: number | null;
}): string {
  const at = s.momentSeconds ?? s.startSeconds;
  return transcriptHref(s.videoId, at, s.momentEndMs == null ? null : Math.ceil(s.momentEndMs / 1000));
}

export function isYouTubeLink(url: string): boolean {
  return /^https:\/\/(youtu\.be|(www\.)?youtube\.com)\//.test(url);
}

/** "just now", "5 min ago", "yesterday", "3 Mar". */
export function formatRelative(iso: string, now = Date.now()): string {
  const t = new Date(iso).getTime();
  if (Number.isNaN(t)) return "";
  const diff = Math.max(0, now - t) / 1000;
  if (diff < 60) return "just now";
  if (diff < 3600) return `${Math.floor(diff / 60)} min ago`;
  if (diff < 86_400) return `${Math.floor(diff / 3600)} h ago`;
  if (diff < 172_800) return "yesterday";
  const d = new Date(t);
  return d.toLocaleDateString(undefined, {
    day: "numeric",
    month: "short",
    ...(d.getFullYear() !== new Date(now).getFullYear() ? { year: "numeric" } : {}),
  });
}
