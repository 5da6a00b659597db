// What this server can do (GET /api/capabilities), read once per page load on
// the server, so the page offers only that: no audio promise without
// transcription, no summary suggestions when answers are quoted passages.
import { query } from "@solidjs/router";
import { createSignal, onMount, type Accessor } from "solid-js";
import { apiOrigin, jsonOrThrow } from "./serverApi";
import type { Capabilities } from "./types";

export const getCapabilities = query(async (): Promise<Capabilities> => {
  "use server";
  return jsonOrThrow<Capabilities>(await fetch(`${apiOrigin()}/api/capabilities`));
}, "capabilities");

/**
 * The capabilities in a component shown after mount (the chat's empty state,
 * Studio), read without suspending: createAsync there would suspend the page's
 * boundary and remount the composer, losing its focus. Undefined until read,
 * null when it could not be read (then offer the general case).
 */
export function useCapabilities(): Accessor<Capabilities | null | undefined> {
  const [capabilities, setCapabilities] = createSignal<Capabilities | null>();
  onMount(() => void getCapabilities().then(setCapabilities, () => setCapabilities(null)));
  return capabilities;
}

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
