// File uploads from the browser with upload progress (fetch cannot report it;
// XMLHttpRequest can). Subtitle files go to /videos/transcripts, audio and
// video files to /videos/audio; the server validates both at the door.
import { refreshSession, goToLogin } from "./browserApi";
import { ApiError, errorFromResponse } from "./problem";
import type { Video } from "./types";

// The server's list (GET /api/capabilities, from server/videos/transcripts/detectFormat.ts).
const TRANSCRIPT_EXTENSIONS = [".vtt", ".webvtt", ".srt", ".sbv", ".xml", ".srv1", ".srv3", ".json", ".json3", ".txt", ".text"];

export type UploadKind = "transcript" | "audio";

export function kindOf(file: File): UploadKind {
  const name = file.name.toLowerCase();
  if (TRANSCRIPT_EXTENSIONS.some((ext) => name.endsWith(ext))) return "transcript";
  if (file.type.startsWith("audio/") || file.type.startsWith("video/")) return "audio";
  return "transcript";
}

function send(url: string, body: FormData, onProgress: (fraction: number) => void): Promise<Response> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open("POST", url);
    xhr.setRequestHeader("accept", "application/json");
    xhr.upload.onprogress = (e) => e.lengthComputable && onProgress(e.loaded / e.total);
    xhr.onload = () =>
      resolve(
        new Response(xhr.status === 204 ? null : xhr.responseText, {
          status: xhr.status,
          headers: { "content-type": xhr.getResponseHeader("content-type") ?? "application/json" },
        }),
      );
    xhr.onerror = () => reject(new ApiError("The upload was interrupted. Check your connection and try again.", 0, "network_error"));
    xhr.send(body);
  });
}

/**
 * `language`: a code such as "da"; empty lets the server detect it from the file.
 * `title`: the video's name; empty lets the server derive one from the file name.
 */
export async function uploadFile(
  collectionId: string,
  file: File,
  onProgress: (fraction: number) => void,
  options: { language?: string; title?: string } = {},
): Promise<Video> {
  const { language = "", title = "" } = options;
  const kind = kindOf(file);
  const url = `/api/collections/${collectionId}/videos/${kind === "audio" ? "audio" : "transcripts"}`;
  const form = () => {
    const data = new FormData();
    data.set("file", file, file.name);
    if (language) data.set("language", language);
    if (title.trim()) data.set("title", title.trim());
    return data;
  };
  let response = await send(url, form(), onProgress);
  if (response.status === 401) {
    if (!(await refreshSession())) goToLogin();
    response = await send(url, form(), onProgress);
  }
  if (!response.ok) throw await errorFromResponse(response);
  return (await response.json()) as Video;
}
