// The header's "Chat" outside a collection: back to the conversation you had
// last, else the chat of your most recently changed collection, else your
// collections (to make one first).
import { Title } from "@solidjs/meta";
import { createAsync, type RouteDefinition } from "@solidjs/router";
import { chatDestination } from "~/lib/chatHome";

export const route = { preload: () => chatDestination() } satisfies RouteDefinition;

export default function ChatHome() {
  // Always throws a redirect; nothing renders.
  createAsync(() => chatDestination());
  return <Title>Chat — KnowledgeTree</Title>;
}
