-- Core product schema: accounts, collections and their members, videos with
-- their transcripts and retrieval chunks, conversations and messages.
-- Every tenant row hangs off a user or a collection; deletes cascade downwards.

create extension if not exists vector;

create table users (
  id uuid primary key default gen_random_uuid(),
  email text not null check (length(email) between 3 and 320 and email = lower(email)),
  display_name text not null default '' check (length(display_name) <= 200),
  password_hash text,
  email_verified_at timestamptz,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create unique index users_email_key on users (email);

create table collections (
  id uuid primary key default gen_random_uuid(),
  owner_id uuid not null references users (id) on delete cascade,
  name text not null check (length(btrim(name)) between 1 and 200),
  description text not null default '' check (length(description) <= 5000),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create index collections_owner_id_idx on collections (owner_id, created_at desc);

create table collection_members (
  collection_id uuid not null references collections (id) on delete cascade,
  user_id uuid not null references users (id) on delete cascade,
  role text not null check (role in ('owner', 'editor', 'viewer')),
  created_at timestamptz not null default now(),
  primary key (collection_id, user_id)
);
create index collection_members_user_id_idx on collection_members (user_id);

create table videos (
  id uuid primary key default gen_random_uuid(),
  collection_id uuid not null references collections (id) on delete cascade,
  added_by uuid references users (id) on delete set null,
  source_type text not null check (source_type in ('youtube', 'transcript', 'audio')),
  source_url text,
  source_filename text,
  title text not null check (length(title) between 1 and 500),
  language text check (language ~ '^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$'),
  duration_ms integer check (duration_ms >= 0),
  status text not null default 'queued' check (status in ('queued', 'processing', 'ready', 'failed')),
  progress smallint not null default 0 check (progress between 0 and 100),
  error text,
  bytes bigint check (bytes >= 0),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  check ((status = 'failed') = (error is not null))
);
create index videos_collection_id_idx on videos (collection_id, created_at desc);

create table transcript_segments (
  video_id uuid not null references videos (id) on delete cascade,
  ordinal integer not null check (ordinal >= 0),
  start_ms integer check (start_ms >= 0),
  end_ms integer check (end_ms >= start_ms),
  speaker text,
  text text not null,
  primary key (video_id, ordinal)
);

create table chunks (
  id bigint generated always as identity primary key,
  video_id uuid not null references videos (id) on delete cascade,
  -- Denormalised so that retrieval can filter by collection without a join.
  collection_id uuid not null references collections (id) on delete cascade,
  ordinal integer not null check (ordinal >= 0),
  text text not null,
  start_ms integer check (start_ms >= 0),
  end_ms integer check (end_ms >= start_ms),
  speakers text[] not null default '{}',
  segment_start integer not null,
  segment_end integer not null check (segment_end >= segment_start),
  ts_config regconfig not null default 'simple',
  tsv tsvector generated always as (to_tsvector(ts_config, text)) stored,
  unique (video_id, ordinal)
);
create index chunks_collection_id_idx on chunks (collection_id);
create index chunks_tsv_idx on chunks using gin (tsv);

-- One row per chunk and embedding model, so a model change is a data change, not
-- a schema change. HNSW indexes are per model (and so per dimension) as partial
-- expression indexes, created by the application when a model is first used.
create table chunk_embeddings (
  chunk_id bigint not null references chunks (id) on delete cascade,
  model text not null,
  collection_id uuid not null references collections (id) on delete cascade,
  embedding vector not null,
  primary key (chunk_id, model)
);
create index chunk_embeddings_collection_model_idx on chunk_embeddings (collection_id, model);

create table conversations (
  id uuid primary key default gen_random_uuid(),
  collection_id uuid not null references collections (id) on delete cascade,
  user_id uuid not null references users (id) on delete cascade,
  title text not null default 'New conversation' check (length(title) between 1 and 300),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create index conversations_user_id_idx on conversations (user_id, updated_at desc);
create index conversations_collection_id_idx on conversations (collection_id);

create table messages (
  id uuid primary key default gen_random_uuid(),
  conversation_id uuid not null references conversations (id) on delete cascade,
  role text not null check (role in ('user', 'assistant')),
  content text not null default '',
  citations jsonb not null default '[]' check (jsonb_typeof(citations) = 'array'),
  model text,
  input_tokens integer check (input_tokens >= 0),
  output_tokens integer check (output_tokens >= 0),
  status text not null default 'complete' check (status in ('streaming', 'complete', 'stopped', 'failed')),
  error text,
  ttft_ms integer check (ttft_ms >= 0),
  total_ms integer check (total_ms >= 0),
  created_at timestamptz not null default now()
);
create index messages_conversation_id_idx on messages (conversation_id, created_at);
