// Where "Chat" leads when no collection is open (see routes/chat.tsx).
import { query, redirect } from "@solidjs/router";
import { apiRequired, jsonOrThrow } from "./serverApi";
import type { Collection, ConversationPage } from "./types";

export const chatDestination = query(async (): Promise<never> => {
  "use server";
  const recent = await jsonOrThrow<ConversationPage>(await apiRequired("/api/conversations?limit=1"));
  const last = recent.items[0];
  if (last) throw redirect(`/collections/${last.collectionId}/chat?c=${last.id}`);
  const collections = await jsonOrThrow<Collection[]>(await apiRequired("/api/collections"));
  const latest = [...collections].sort((a, b) => b.updatedAt.localeCompare(a.updatedAt))[0];
  throw redirect(latest ? `/collections/${latest.id}/chat` : "/collections");
}, "chatDestination");
