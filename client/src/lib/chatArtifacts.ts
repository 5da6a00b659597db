// Artifacts (summary, notes, outline, FAQ, custom) of a conversation or a video: api calls
// and the streams of their versions, which follow the same event protocol as
// answers (their events carry `artifactId` and `version`).
import { apiFetch, apiJson, apiStream, withJson } from "./browserApi";
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

/**
 * The kinds Studio offers when no language model writes them: each is then
 * built from quoted sentences, so the hints say so, and the FAQ (which needs
 * questions written for it) is not offered.
 */
export function artifactKinds(languageModel: boolean): typeof ARTIFACT_KINDS {
  if (languageModel) return ARTIFACT_KINDS;
  const quoted: Partial<Record<ArtifactKind, string>> = {
    summary: "Its key sentences, quoted",
    notes: "Key passages with timestamps",
    outline: "Key sentences in order",
    custom: "Passages that match your request",
  };
  return ARTIFACT_KINDS.filter((k) => quoted[k.kind]).map((k) => ({ ...k, hint: quoted[k.kind]! }));
}

export const artifactsApi = {
  /** The artifacts made from a conversation, or from a video. */
  list: (of: ArtifactOf) => apiJson<ArtifactSummary[]>(`/api/artifacts?${new URLSearchParams(of)}`),
  get: (id: string) => apiJson<Artifact>(`/api/artifacts/${id}`),
  save: (id: string, content: string) => apiJson<ArtifactVersion>(`/api/artifacts/${id}`, withJson("PUT", { content })),
  remove: async (id: string) => void (await apiFetch(`/api/artifacts/${id}`, withJson("DELETE"))),
  stop: async (id: string, version: number) => void (await apiFetch(`/api/artifacts/${id}/versions/${version}/stop`, withJson("POST"))),
};

const resume = (id: string, version: number, seq: number, signal: AbortSignal) =>
  apiStream(`/api/artifacts/${id}/versions/${version}/stream`, { signal, lastEventId: seq });

/** Generates a new artifact (or, with `regenerateId`, a new version of one) and follows it. */
export function streamArtifact(
  request: { regenerateId: string; instructions?: string } | ({ kind: ArtifactKind; instructions?: string; title?: string } & ArtifactOf),
  onUpdate: (s: AnswerState) => void,
): StreamRun {
  const open = (signal: AbortSignal) =>
    "regenerateId" in request
      ? apiStream(`/api/artifacts/${request.regenerateId}/regenerate`, {
          ...withJson("POST", { instructions: request.instructions || undefined }),
          signal,
        })
      : apiStream("/api/artifacts", { ...withJson("POST", { ...request, instructions: request.instructions || undefined }), signal });
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
  return runAnswerStream({
    initial: { streamId: id, version },
    open: (signal) => resume(id, version, 0, signal),
    resume: (sid, seq, signal) => resume(sid, version, seq, signal),
    onUpdate,
  });
}
