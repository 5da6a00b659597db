// The shape of the chat page's store (chatSession.ts) and its empty state.
// Kept apart from the actions so components and the other chat stores can
// name its types without importing the session.
import type { AnswerSettings, Conversation, ConversationSearchHit, Message } from "./types";

/** A message as shown: the api's fields plus what only the live stream knows. */
export type ChatMessage = Message & {
  notice?: string | null;
  reconnecting?: boolean;
  errorTitle?: string;
  /** Why the stream ended, when it failed (`access_revoked`, `session_ended`, …). */
  errorCode?: string;
  pending?: boolean;
};

export type LoadState = "idle" | "loading" | "ready" | "error";

export type ChatState = {
  conversations: Conversation[];
  nextCursor: string | null;
  listStatus: LoadState;
  listError: string | null;
  searchQuery: string;
  searchHits: ConversationSearchHit[] | null;
  searchStatus: LoadState;
  conversationId: string | null;
  /** The open conversation as the api last gave it: its author, title, whether it is shared. */
  opened: Conversation | null;
  messages: ChatMessage[];
  conversationStatus: LoadState;
  conversationError: string | null;
  /** The answer whose sources the panel shows. */
  selectedAnswerId: string | null;
  /** A question could not be sent; shown above the composer. */
  sendError: string | null;
  /** The videos answers draw on; empty: the whole collection. A new conversation keeps them until it is created. */
  sourceVideoIds: string[];
  /** How answers are made (AnswerSettings.tsx); a new conversation keeps them until it is created. */
  settings: AnswerSettings;
};

/** The server's defaults: null everywhere. */
export const DEFAULT_SETTINGS: AnswerSettings = {
  useRag: true,
  maxContextChunks: null,
  minSimilarity: null,
  temperature: null,
  model: null,
};

/** A session before anything is loaded. */
export function emptyChatState(): ChatState {
  return {
    conversations: [],
    nextCursor: null,
    listStatus: "idle",
    listError: null,
    searchQuery: "",
    searchHits: null,
    searchStatus: "idle",
    conversationId: null,
    opened: null,
    messages: [],
    conversationStatus: "idle",
    conversationError: null,
    selectedAnswerId: null,
    sendError: null,
    sourceVideoIds: [],
    settings: DEFAULT_SETTINGS,
  };
}
