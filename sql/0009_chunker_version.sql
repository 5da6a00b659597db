-- Which chunker made a video's passages. Raising CHUNKER_VERSION in the code
-- re-chunks older videos in the background (jobs/rechunk.ts); everything
-- chunked before this migration was made by version 1 (words only).
alter table videos
  add column chunker_version smallint not null default 1 check (chunker_version > 0);

-- The maintenance job looks for ready videos an older chunker made.
create index videos_chunker_version_idx on videos (chunker_version) where status = 'ready';
