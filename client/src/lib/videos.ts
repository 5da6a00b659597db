// Videos of a collection, one video, and collection search (the transcript: transcriptWindow.ts).
import { action, query } from "@solidjs/router";
import { apiJson, formField, isUuid, withJson } from "./browserApi";
import { apiRequired, jsonOrNull, jsonOrThrow } from "./serverApi";
import type { SearchHit, Video } from "./types";

export const getVideos = query(async (collectionId: string): Promise<Video[]> => {
  "use server";
  if (!isUuid(collectionId)) return [];
  const list = await jsonOrNull<Video[]>(await apiRequired(`/api/collections/${collectionId}/videos`));
  return list ?? [];
}, "videos");

/** Null when it does not exist or is not shared with you. */
export const getVideo = query(async (id: string): Promise<Video | null> => {
  "use server";
  if (!isUuid(id)) return null;
  return jsonOrNull<Video>(await apiRequired(`/api/videos/${id}`));
}, "video");

export const searchCollection = query(async (collectionId: string, q: string): Promise<SearchHit[]> => {
  "use server";
  const trimmed = q.trim();
  if (!trimmed || !isUuid(collectionId)) return [];
  const params = new URLSearchParams({ q: trimmed.slice(0, 1000), k: "20" });
  const body = await jsonOrThrow<{ hits: SearchHit[] }>(await apiRequired(`/api/collections/${collectionId}/search?${params}`));
  return body.hits;
}, "collectionSearch");

export const addYoutube = action(async (form: FormData) => {
  const collectionId = formField(form, "collectionId", { trim: false });
  const url = formField(form, "url");
  if (!url) throw new Error("Paste a YouTube link, such as https://www.youtube.com/watch?v=…");
  return apiJson<Video>(`/api/collections/${collectionId}/videos/youtube`, withJson("POST", { url }));
}, "addYoutube");

export const retryVideo = action(async (id: string) => {
  return apiJson<Video>(`/api/videos/${id}/retry`, { method: "POST" });
}, "retryVideo");

export const deleteVideo = action(async (id: string) => {
  await apiJson(`/api/videos/${id}`, { method: "DELETE" });
  return { deleted: id };
}, "deleteVideo");

export const renameVideo = action(async (id: string, title: string) => {
  return apiJson<Video>(`/api/videos/${id}`, withJson("PATCH", { title }));
}, "renameVideo");
