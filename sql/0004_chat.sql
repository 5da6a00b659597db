-- Chat: every streamed event of an answer is kept, numbered, so a client that
-- reconnects (to any api instance) with Last-Event-ID gets exactly the rest.
-- Conversations are searchable; artifacts keep every version.

alter table messages
  add column sources jsonb not null default '[]' check (jsonb_typeof(sources) = 'array'),
  add column mode text not null default 'llm' check (mode in ('llm', 'extractive')),
  add column stop_requested_at timestamptz,
  add column completed_at timestamptz,
  add column tsv tsvector generated always as (to_tsvector('simple', content)) stored;
create index messages_tsv_idx on messages using gin (tsv);

alter table conversations
  add column title_tsv tsvector generated always as (to_tsvector('simple', title)) stored;
create index conversations_title_tsv_idx on conversations using gin (title_tsv);

-- Events of a streamed generation: a chat answer (stream_id = the message id)
-- or an artifact version (its stream_id). Needed only while clients may resume,
-- so maintenance deletes them a day after they were written.
create table stream_events (
  stream_id uuid not null,
  seq integer not null check (seq > 0),
  event text not null check (event in ('sources', 'token', 'citations', 'done', 'error')),
  data jsonb not null,
  created_at timestamptz not null default now(),
  primary key (stream_id, seq)
);
create index stream_events_created_at_idx on stream_events (created_at);

create table artifacts (
  id uuid primary key default gen_random_uuid(),
  user_id uuid not null references users (id) on delete cascade,
  collection_id uuid not null references collections (id) on delete cascade,
  conversation_id uuid references conversations (id) on delete cascade,
  video_id uuid references videos (id) on delete cascade,
  kind text not null check (kind in ('summary', 'notes', 'outline', 'faq', 'custom')),
  title text not null check (length(title) between 1 and 300),
  instructions text check (length(instructions) <= 4000),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  check ((conversation_id is null) <> (video_id is null))
);
create index artifacts_user_id_idx on artifacts (user_id, updated_at desc);
create index artifacts_conversation_id_idx on artifacts (conversation_id);
create index artifacts_video_id_idx on artifacts (video_id);

create table artifact_versions (
  artifact_id uuid not null references artifacts (id) on delete cascade,
  version integer not null check (version > 0),
  content text not null default '',
  origin text not null check (origin in ('generated', 'edited')),
  sources jsonb not null default '[]' check (jsonb_typeof(sources) = 'array'),
  citations jsonb not null default '[]' check (jsonb_typeof(citations) = 'array'),
  error text,
  status text not null default 'complete' check (status in ('streaming', 'complete', 'stopped', 'failed')),
  -- The generation that wrote it: its events stream like a chat answer.
  stream_id uuid unique,
  model text,
  input_tokens integer check (input_tokens >= 0),
  output_tokens integer check (output_tokens >= 0),
  created_at timestamptz not null default now(),
  primary key (artifact_id, version)
);
