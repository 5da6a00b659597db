// Small display helpers shared by pages.
import { safeReturnTo as sharedSafeReturnTo } from "../../../server/platform/sameSitePath";

/** 0:07, 12:34, 1:02:03 */
export function formatClock(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms)) return "";
  const total = Math.max(0, Math.floor(ms / 1000));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  const mm = h > 0 ? String(m).padStart(2, "0") : String(m);
  return `${h > 0 ? `${h}:` : ""}${mm}:${String(s).padStart(2, "0")}`;
}

export function formatDateTime(iso: string): string {
  const d = new Date(iso);
  return (
    d.toLocaleString("en-GB", { day: "numeric", month: "short", year: "numeric", hour: "2-digit", minute: "2-digit", timeZone: "UTC" }) +
    " UTC"
  );
}

export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

/** A returnTo that stays on this site (no open redirects); the same rule as the api's. */
export function safeReturnTo(value: string | null | undefined, fallback = "/collections"): string {
  return sharedSafeReturnTo(value, { fallback, origin: typeof location === "undefined" ? undefined : location.origin });
}
