// Artifacts (summary, notes, outline, FAQ, custom) of a conversation or a video: api calls
// and the streams of their versions, which follow the same event protocol as
// answers (their events carry `artifactId` and `version`).
import { apiFetch } from "./chatApi";
import { runAnswerStream, type AnswerState, type StreamRun } from "./chatStream";
import type { Artifact, ArtifactKind, ArtifactSummary, ArtifactVersion } from "./types";

/** What an artifact is written from: a conversation (with its sources) or one video's transcript. */
export type ArtifactOf = { conversationId: string } | { videoId: string };

export const ARTIFACT_KINDS: { kind: ArtifactKind; label: string; hint: string }[] = [
  { kind: "summary", label: "Summary", hint: "The gist in a few paragraphs" },
  { kind: "notes", label: "Study notes", hint: "Key points with timestamps" },
  { kind: "outline", label: "Outline", hint: "Topics in order, nested" },
  { kind: "faq", label: "FAQ", hint: "Questions a newcomer would ask" },
  { kind: "custom", label: "Custom", hint: "Your own instructions" },
];

const json = async <T>(path: string, init?: RequestInit) => (await apiFetch(path, init)).json() as Promise<T>;
const body = (method: string, value?: unknown): RequestInit => ({ method, body: value === undefined ? undefined : JSON.stringify(value) });
const sse = (path: string, init: RequestInit, signal: AbortSignal, lastEventId?: number) =>
  apiFetch(path, { ...init, signal, headers: { accept: "text/event-stream", ...(lastEventId !== undefined ? { "last-event-id": String(lastEventId) } : {}) } });

export const artifactsApi = {
  /** The artifacts made from a conversation, or from a video. */
  list: (of: ArtifactOf) => json<ArtifactSummary[]>(`/api/artifacts?${new URLSearchParams(of)}`),
  get: (id: string) => json<Artifact>(`/api/artifacts/${id}`),
  save: (id: string, content: string) => json<ArtifactVersion>(`/api/artifacts/${id}`, body("PUT", { content })),
  remove: async (id: string) => void (await apiFetch(`/api/artifacts/${id}`, body("DELETE"))),
  stop: async (id: string, version: number) => void (await apiFetch(`/api/artifacts/${id}/versions/${version}/stop`, body("POST"))),
};

const resume = (id: string, version: number, seq: number, signal: AbortSignal) => sse(`/api/artifacts/${id}/versions/${version}/stream`, {}, signal, seq);

/** Generates a new artifact (or, with `regenerateId`, a new version of one) and follows it. */
export function streamArtifact(
  request: { regenerateId: string; instructions?: string } | ({ kind: ArtifactKind; instructions?: string; title?: string } & ArtifactOf),
  onUpdate: (s: AnswerState) => void,
): StreamRun {
  const open = (signal: AbortSignal) =>
    "regenerateId" in request
      ? sse(`/api/artifacts/${request.regenerateId}/regenerate`, body("POST", { instructions: request.instructions || undefined }), signal)
      : sse("/api/artifacts", body("POST", { ...request, instructions: request.instructions || undefined }), signal);
  let version: number | null = null;
  return runAnswerStream({
    open,
    resume: (id, seq, signal) => resume(id, version ?? 1, seq, signal),
    onUpdate: (s) => {
      version = s.version;
      onUpdate(s);
    },
  });
}

/** Follows a version that was still being written when the panel opened. */
export function followArtifactVersion(id: string, version: number, onUpdate: (s: AnswerState) => void): StreamRun {
  return runAnswerStream({ initial: { streamId: id, version }, open: (signal) => resume(id, version, 0, signal), resume: (sid, seq, signal) => resume(sid, version, seq, signal), onUpdate });
}
