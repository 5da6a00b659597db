// Videos of a collection, one video and its transcript, and collection search.
import { action, query } from "@solidjs/router";
import { apiJson, jsonBody } from "./browserApi";
import { apiRequired, jsonOrNull, jsonOrThrow } from "./serverApi";
import type { SearchHit, Segment, Video } from "./types";

const UUID = /^[0-9a-f-]{36}$/i;

export const getVideos = query(async (collectionId: string): Promise<Video[]> => {
  "use server";
  if (!UUID.test(collectionId)) return [];
  const list = await jsonOrNull<Video[]>(await apiRequired(`/api/collections/${collectionId}/videos`));
  return list ?? [];
}, "videos");

/** Null when it does not exist or is not shared with you. */
export const getVideo = query(async (id: string): Promise<Video | null> => {
  "use server";
  if (!UUID.test(id)) return null;
  return jsonOrNull<Video>(await apiRequired(`/api/videos/${id}`));
}, "video");

export const getTranscript = query(async (id: string): Promise<Segment[]> => {
  "use server";
  if (!UUID.test(id)) return [];
  const body = await jsonOrNull<{ segments: Segment[] }>(await apiRequired(`/api/videos/${id}/transcript`));
  return body?.segments ?? [];
}, "transcript");

export const searchCollection = query(async (collectionId: string, q: string): Promise<SearchHit[]> => {
  "use server";
  const trimmed = q.trim();
  if (!trimmed || !UUID.test(collectionId)) return [];
  const params = new URLSearchParams({ q: trimmed.slice(0, 1000), k: "8" });
  const body = await jsonOrThrow<{ hits: SearchHit[] }>(await apiRequired(`/api/collections/${collectionId}/search?${params}`));
  return body.hits;
}, "collectionSearch");

export const addYoutube = action(async (form: FormData) => {
  const collectionId = String(form.get("collectionId") ?? "");
  const url = String(form.get("url") ?? "").trim();
  if (!url) throw new Error("Paste a YouTube link, such as https://www.youtube.com/watch?v=…");
  return apiJson<Video>(`/api/collections/${collectionId}/videos/youtube`, { method: "POST", ...jsonBody({ url }) });
}, "addYoutube");

export const retryVideo = action(async (id: string) => {
  return apiJson<Video>(`/api/videos/${id}/retry`, { method: "POST" });
}, "retryVideo");

export const deleteVideo = action(async (id: string) => {
  await apiJson(`/api/videos/${id}`, { method: "DELETE" });
  return { deleted: id };
}, "deleteVideo");

export const renameVideo = action(async (id: string, title: string) => {
  return apiJson<Video>(`/api/videos/${id}`, { method: "PATCH", ...jsonBody({ title }) });
}, "renameVideo");
