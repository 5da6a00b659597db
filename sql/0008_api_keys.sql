-- Personal API keys: `kt_` + 32 random bytes (base64url), shown once. Only the
-- SHA-256 of the secret is kept, with its first characters for the list. A key
-- acts as its user, cut down to its scope, and never on account routes.
create table api_keys (
  id uuid primary key default gen_random_uuid(),
  user_id uuid not null references users (id) on delete cascade,
  name text not null check (length(btrim(name)) between 1 and 100),
  prefix text not null check (length(prefix) between 6 and 20),
  secret_hash bytea not null unique check (length(secret_hash) = 32),
  scope text not null check (scope in ('read', 'write')),
  created_at timestamptz not null default now(),
  last_used_at timestamptz,
  expires_at timestamptz,
  revoked_at timestamptz,
  revoked_reason text
);
create index api_keys_user_id_idx on api_keys (user_id, created_at desc);
