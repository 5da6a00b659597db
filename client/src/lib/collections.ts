// Collections: read on the server as the signed-in user, changed from the browser.
import { action, query } from "@solidjs/router";
import { apiJson, formField, isUuid, withJson } from "./browserApi";
import { apiRequired, jsonOrNull, jsonOrThrow } from "./serverApi";
import type { Collection } from "./types";

export const getCollections = query(async (): Promise<Collection[]> => {
  "use server";
  return jsonOrThrow<Collection[]>(await apiRequired("/api/collections"));
}, "collections");

/** Null when it does not exist or is not shared with you (the page shows 404). */
export const getCollection = query(async (id: string): Promise<Collection | null> => {
  "use server";
  if (!isUuid(id)) return null;
  return jsonOrNull<Collection>(await apiRequired(`/api/collections/${id}`));
}, "collection");

export const createCollection = action(async (form: FormData) => {
  const name = formField(form, "name");
  if (!name) throw new Error("Give the collection a name.");
  const description = formField(form, "description");
  return apiJson<Collection>("/api/collections", withJson("POST", description ? { name, description } : { name }));
}, "createCollection");

export const updateCollection = action(async (form: FormData) => {
  const id = formField(form, "id");
  const name = formField(form, "name");
  if (!name) throw new Error("The name cannot be empty.");
  return apiJson<Collection>(`/api/collections/${id}`, withJson("PATCH", { name, description: formField(form, "description") }));
}, "updateCollection");

export const deleteCollection = action(async (id: string) => {
  await apiJson(`/api/collections/${id}`, { method: "DELETE" });
  return { deleted: id };
}, "deleteCollection");
