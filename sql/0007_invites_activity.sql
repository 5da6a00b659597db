-- Sharing, part two: invitations (by email, and links anyone signed in can
-- open) and the per-collection log of membership changes.

-- One table for both kinds: an email invitation is a single-use link for one
-- address; a link invitation is for whoever opens it, up to max_uses times.
-- Only the SHA-256 of a token is stored.
create table invites (
  id uuid primary key default gen_random_uuid(),
  collection_id uuid not null references collections (id) on delete cascade,
  kind text not null check (kind in ('email', 'link')),
  email text check (email = lower(email) and length(email) between 3 and 320),
  role text not null check (role in ('editor', 'viewer')),
  token_hash bytea not null unique check (length(token_hash) = 32),
  created_by uuid references users (id) on delete set null,
  created_at timestamptz not null default now(),
  last_sent_at timestamptz,
  expires_at timestamptz,
  max_uses integer check (max_uses > 0),
  use_count integer not null default 0 check (use_count >= 0),
  accepted_at timestamptz,
  accepted_by uuid references users (id) on delete set null,
  declined_at timestamptz,
  revoked_at timestamptz,
  check ((kind = 'email') = (email is not null)),
  check (kind = 'link' or (max_uses is null and expires_at is not null)),
  check (max_uses is null or use_count <= max_uses)
);
-- At most one open invitation per address and collection: inviting again resends it.
create unique index invites_open_email_idx on invites (collection_id, email)
  where kind = 'email' and accepted_at is null and declined_at is null and revoked_at is null;
create index invites_collection_idx on invites (collection_id, kind, created_at desc);
-- "Invitations" in the invitee's app: open invitations for their address.
create index invites_email_idx on invites (email)
  where kind = 'email' and accepted_at is null and declined_at is null and revoked_at is null;

-- Who changed what in a collection's membership, for its owner.
create table collection_activity (
  id bigint generated always as identity primary key,
  collection_id uuid not null references collections (id) on delete cascade,
  actor_id uuid references users (id) on delete set null,
  action text not null check (action in (
    'invited', 'invite_resent', 'invite_revoked', 'invite_declined', 'joined', 'role_changed',
    'removed', 'left', 'ownership_transferred', 'link_created', 'link_revoked')),
  subject_user_id uuid references users (id) on delete set null,
  subject_email text,
  role text check (role in ('owner', 'editor', 'viewer')),
  detail jsonb not null default '{}' check (jsonb_typeof(detail) = 'object'),
  created_at timestamptz not null default now()
);
create index collection_activity_collection_idx on collection_activity (collection_id, id desc);
