// Browser calls to the chat api, on top of browserApi's session handling (the
// one shared token refresh; two concurrent refreshes would rotate the refresh
// token twice). Failures throw ApiError; a network failure has status 0.
import { noteRefusal, noteUsageHeaders } from "./messageUsage";
import { apiFetch as sessionFetch } from "./browserApi";
import { ApiError, errorFromResponse } from "./problem";
import type { Conversation, ConversationPage, ConversationSearchHit, ConversationWithMessages } from "./types";

/** A network failure (no answer at all) is an ApiError with status 0. */
export async function apiFetch(path: string, init: RequestInit = {}): Promise<Response> {
  const jsonBody: Record<string, string> = typeof init.body === "string" ? { "content-type": "application/json" } : {};
  let response: Response;
  try {
    response = await sessionFetch(path, { ...init, headers: { ...jsonBody, ...(init.headers as Record<string, string> | undefined) } });
  } catch (error) {
    if (error instanceof DOMException && error.name === "AbortError") throw error;
    if (error instanceof TypeError) throw new ApiError("The server could not be reached. Check your connection and try again.", 0, "network");
    throw error;
  }
  if (!response.ok) throw await errorFromResponse(response);
  return response;
}

const json = async <T>(path: string, init?: RequestInit): Promise<T> => (await apiFetch(path, init)).json() as Promise<T>;
const send = (method: string, body?: unknown): RequestInit => ({ method, body: body === undefined ? undefined : JSON.stringify(body) });

export const chatApi = {
  listConversations: (collectionId: string, cursor?: string | null) =>
    json<ConversationPage>(`/api/conversations?${new URLSearchParams({ collectionId, limit: "30", ...(cursor ? { cursor } : {}) })}`),
  search: (q: string) => json<ConversationSearchHit[]>(`/api/conversations/search?${new URLSearchParams({ q, limit: "20" })}`),
  create: (collectionId: string, title?: string) => json<Conversation>("/api/conversations", send("POST", { collectionId, title })),
  get: (id: string) => json<ConversationWithMessages>(`/api/conversations/${id}`),
  rename: (id: string, title: string) => json<Conversation>(`/api/conversations/${id}`, send("PATCH", { title })),
  remove: async (id: string) => void (await apiFetch(`/api/conversations/${id}`, send("DELETE"))),
  stop: async (id: string, messageId: string) => void (await apiFetch(`/api/conversations/${id}/messages/${messageId}/stop`, send("POST"))),
  /** Opens the answer stream of a new question (text/event-stream). */
  ask: async (id: string, content: string, signal?: AbortSignal) => {
    try {
      const response = await apiFetch(`/api/conversations/${id}/messages`, { ...send("POST", { content }), headers: { accept: "text/event-stream" }, signal });
      noteUsageHeaders(response.headers);
      return response;
    } catch (error) {
      if (error instanceof ApiError) noteRefusal(error.problem);
      throw error;
    }
  },
  /** Replays an answer after `lastEventId` and follows it live. */
  resume: (id: string, messageId: string, lastEventId: number, signal?: AbortSignal) =>
    apiFetch(`/api/conversations/${id}/messages/${messageId}/stream`, { headers: { accept: "text/event-stream", "last-event-id": String(lastEventId) }, signal }),
  exportUrl: (id: string, format: "markdown" | "json") => `/api/conversations/${id}/export?format=${format}`,
};

export { ApiError };
