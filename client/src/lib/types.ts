// Shapes the api returns (mirrors of server/*/model.ts response schemas).
export type User = { id: string; email: string; displayName: string; emailVerified: boolean; createdAt: string };

export type Session = { id: string; createdAt: string; lastUsedAt: string; expiresAt: string; userAgent: string | null; ip: string | null; current: boolean };

export type Provider = { id: string; label: string; startUrl: string };

export type Collection = {
  id: string;
  name: string;
  description: string;
  role: "owner" | "editor" | "viewer";
  videoCount: number;
  readyCount: number;
  createdAt: string;
  updatedAt: string;
};

export type VideoStatus = "queued" | "processing" | "ready" | "failed";

export type Video = {
  id: string;
  collectionId: string;
  title: string;
  sourceType: "youtube" | "transcript" | "audio";
  sourceUrl: string | null;
  sourceFilename: string | null;
  youtubeId: string | null;
  language: string | null;
  durationMs: number | null;
  status: VideoStatus;
  progress: number;
  error: string | null;
  hasTimestamps: boolean;
  segmentCount: number | null;
  chunkCount: number | null;
  watchUrl: string | null;
  createdAt: string;
  updatedAt: string;
  readyAt: string | null;
};

export type Segment = { ordinal: number; startMs: number | null; endMs: number | null; speaker: string | null; text: string };

export type SearchHit = {
  chunkId: number;
  videoId: string;
  videoTitle: string;
  snippetHtml: string;
  startMs: number | null;
  startSeconds: number | null;
  speakers: string[];
  deepLink: string;
};
