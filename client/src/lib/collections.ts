// Collections: read on the server as the signed-in user, changed from the browser.
import { action, query } from "@solidjs/router";
import { apiJson, jsonBody } from "./browserApi";
import { apiRequired, jsonOrNull, jsonOrThrow } from "./serverApi";
import type { Collection } from "./types";

export const getCollections = query(async (): Promise<Collection[]> => {
  "use server";
  return jsonOrThrow<Collection[]>(await apiRequired("/api/collections"));
}, "collections");

/** Null when it does not exist or is not shared with you (the page shows 404). */
export const getCollection = query(async (id: string): Promise<Collection | null> => {
  "use server";
  if (!/^[0-9a-f-]{36}$/i.test(id)) return null;
  return jsonOrNull<Collection>(await apiRequired(`/api/collections/${id}`));
}, "collection");

function text(form: FormData, name: string): string {
  const value = form.get(name);
  return typeof value === "string" ? value.trim() : "";
}

export const createCollection = action(async (form: FormData) => {
  const name = text(form, "name");
  if (!name) throw new Error("Give the collection a name.");
  const description = text(form, "description");
  return apiJson<Collection>("/api/collections", { method: "POST", ...jsonBody(description ? { name, description } : { name }) });
}, "createCollection");

export const updateCollection = action(async (form: FormData) => {
  const id = text(form, "id");
  const name = text(form, "name");
  if (!name) throw new Error("The name cannot be empty.");
  return apiJson<Collection>(`/api/collections/${id}`, { method: "PATCH", ...jsonBody({ name, description: text(form, "description") }) });
}, "updateCollection");

export const deleteCollection = action(async (id: string) => {
  await apiJson(`/api/collections/${id}`, { method: "DELETE" });
  return { deleted: id };
}, "deleteCollection");
