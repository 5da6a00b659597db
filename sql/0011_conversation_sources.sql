-- The sources of a conversation (NotebookLM's source checkboxes): the videos
-- its answers are drawn from. No row: the whole collection. A deleted video
-- leaves the choice with it; when none of the chosen videos is left the
-- conversation draws on the whole collection again.
create table conversation_sources (
  conversation_id uuid not null references conversations (id) on delete cascade,
  video_id uuid not null references videos (id) on delete cascade,
  primary key (conversation_id, video_id)
);
create index conversation_sources_video_id_idx on conversation_sources (video_id);
