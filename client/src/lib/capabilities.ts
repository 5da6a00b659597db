// What this server can do (GET /api/capabilities), read once per page load on
// the server, so the page offers only that: no audio promise without
// transcription, no summary suggestions when answers are quoted passages.
import { query } from "@solidjs/router";
import { apiOrigin, jsonOrThrow } from "./serverApi";
import type { Capabilities } from "./types";

export const getCapabilities = query(async (): Promise<Capabilities> => {
  "use server";
  return jsonOrThrow<Capabilities>(await fetch(`${apiOrigin()}/api/capabilities`));
}, "capabilities");

const LABELS: Record<string, string> = {
  ".vtt": "VTT",
  ".srt": "SRT",
  ".sbv": "SBV",
  ".xml": "YouTube XML",
  ".json3": "YouTube json3",
  ".txt": "TXT",
};

/** "VTT, SRT, SBV, YouTube XML, YouTube json3 or TXT": the formats behind the server's extensions, each named once. */
export function transcriptFormatsText(extensions: readonly string[]): string {
  const named = [...new Set(extensions.map((e) => LABELS[e]).filter((l): l is string => Boolean(l)))];
  return named.length > 1 ? `${named.slice(0, -1).join(", ")} or ${named.at(-1)}` : (named[0] ?? "");
}

export function megabytes(bytes: number): string {
  return `${Math.round(bytes / (1024 * 1024))} MB`;
}
