// Personal API keys: listed on the server, created and revoked from the browser.
import { action, query } from "@solidjs/router";
import type { ApiKey as ApiKeyView } from "./types";
import { apiJson, withJson } from "./browserApi";
import { apiRequired, jsonOrThrow } from "./serverApi";

export type { ApiKeyView };

export const getApiKeys = query(async (): Promise<ApiKeyView[]> => {
  "use server";
  return jsonOrThrow<ApiKeyView[]>(await apiRequired("/api/auth/api-keys"));
}, "apiKeys");

/** The answer carries the secret: the only time anyone sees it. */
export const createApiKey = action(async (form: FormData) => {
  const name = String(form.get("name") ?? "").trim();
  if (!name) throw new Error("Give the key a name, so you recognise it later.");
  const scope = form.get("scope") === "write" ? "write" : "read";
  const days = Number(form.get("expiresInDays") || 0);
  return apiJson<ApiKeyView & { secret: string }>(
    "/api/auth/api-keys",
    withJson("POST", days > 0 ? { name, scope, expiresInDays: days } : { name, scope }),
  );
}, "createApiKey");

export const revokeApiKey = action(async (id: string) => {
  await apiJson(`/api/auth/api-keys/${id}`, { method: "DELETE" });
}, "revokeApiKey");
