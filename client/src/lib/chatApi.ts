// Browser calls to the chat api (through browserApi: one token refresh, errors as ApiError).
import { ApiError, apiFetch, apiJson, apiStream, withJson } from "./browserApi";
import { noteRefusal, noteUsageHeaders } from "./messageUsage";
import type {
  AnswerOptions,
  AnswerSettings,
  Conversation,
  ConversationPage,
  ConversationSearchHit,
  ConversationWithMessages,
} from "./types";

export const chatApi = {
  listConversations: (collectionId: string, cursor?: string | null) =>
    apiJson<ConversationPage>(`/api/conversations?${new URLSearchParams({ collectionId, limit: "30", ...(cursor ? { cursor } : {}) })}`),
  search: (q: string) => apiJson<ConversationSearchHit[]>(`/api/conversations/search?${new URLSearchParams({ q, limit: "20" })}`),
  /** `videoIds`: the videos answers draw on; none or empty: the whole collection. */
  create: (collectionId: string, p: { title?: string; videoIds?: string[]; settings?: Partial<AnswerSettings> } = {}) =>
    apiJson<Conversation>("/api/conversations", withJson("POST", { collectionId, ...p })),
  get: (id: string) => apiJson<ConversationWithMessages>(`/api/conversations/${id}`),
  rename: (id: string, title: string) => apiJson<Conversation>(`/api/conversations/${id}`, withJson("PATCH", { title })),
  setSettings: (id: string, settings: Partial<AnswerSettings>) =>
    apiJson<Conversation>(`/api/conversations/${id}`, withJson("PATCH", { settings })),
  /** What the answer settings may offer on this server (a model configured, which models). */
  answerOptions: () => apiJson<AnswerOptions>("/api/conversations/answer-options"),
  setSources: (id: string, videoIds: string[]) => apiJson<Conversation>(`/api/conversations/${id}`, withJson("PATCH", { videoIds })),
  /** Shares the conversation read-only with the collection's members (true), or makes it private again. */
  setShared: (id: string, shared: boolean) => apiJson<Conversation>(`/api/conversations/${id}`, withJson("PATCH", { shared })),
  /** Conversations the collection's members have shared (the caller's own included). */
  listShared: (collectionId: string) => apiJson<Conversation[]>(`/api/collections/${collectionId}/shared-conversations`),
  remove: async (id: string) => void (await apiFetch(`/api/conversations/${id}`, withJson("DELETE"))),
  stop: async (id: string, messageId: string) =>
    void (await apiFetch(`/api/conversations/${id}/messages/${messageId}/stop`, withJson("POST"))),
  /** Opens the answer stream of a new question (text/event-stream). */
  /** `replacing`: an answer whose question, the answer and every later message this question replaces. */
  ask: async (id: string, content: string, signal?: AbortSignal, replacing?: string) => {
    try {
      const response = await apiStream(`/api/conversations/${id}/messages`, {
        ...withJson("POST", replacing ? { content, replacing } : { content }),
        signal,
      });
      noteUsageHeaders(response.headers);
      return response;
    } catch (error) {
      if (error instanceof ApiError) noteRefusal(error.problem);
      throw error;
    }
  },
  /** Replays an answer after `lastEventId` and follows it live. */
  resume: (id: string, messageId: string, lastEventId: number, signal?: AbortSignal) =>
    apiStream(`/api/conversations/${id}/messages/${messageId}/stream`, { lastEventId, signal }),
  exportUrl: (id: string, format: "markdown" | "json") => `/api/conversations/${id}/export?format=${format}`,
};
