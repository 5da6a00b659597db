-- Ingestion: where each video came from, what it produced, the raw upload kept
-- until the pipeline has read it, and the embedding model each collection's
-- search uses (changed only once a re-embed has finished).

alter table collections
  add column embedding_model text,
  add column reembed_model text;

alter table videos
  add column youtube_id text check (youtube_id ~ '^[A-Za-z0-9_-]{11}$'),
  add column transcript_format text check (transcript_format in ('vtt', 'srt', 'sbv', 'youtube_xml', 'youtube_json3', 'text', 'transcription')),
  add column has_timestamps boolean not null default true,
  add column caption_kind text check (caption_kind in ('manual', 'auto')),
  add column requested_language text check (length(requested_language) <= 35),
  add column segment_count integer check (segment_count >= 0),
  add column chunk_count integer check (chunk_count >= 0),
  add column ready_at timestamptz;

-- Uploaded bytes (transcripts, audio) waiting for the pipeline; deleted with
-- the video, and kept after success so a retry or re-ingest can read them again.
create table video_uploads (
  video_id uuid primary key references videos (id) on delete cascade,
  filename text not null check (length(filename) between 1 and 500),
  content_type text check (length(content_type) <= 200),
  content bytea not null,
  created_at timestamptz not null default now()
);

-- The same YouTube video twice in one collection is a mistake, not a feature.
create unique index videos_collection_youtube_key on videos (collection_id, youtube_id) where youtube_id is not null;
