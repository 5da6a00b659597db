-- Accounts and sessions: a session is a refresh-token family; every rotation
-- adds a token to it, and presenting a rotated token outside the grace window
-- revokes the whole family.

create table sessions (
  id uuid primary key default gen_random_uuid(),
  user_id uuid not null references users (id) on delete cascade,
  created_at timestamptz not null default now(),
  expires_at timestamptz not null,
  last_used_at timestamptz not null default now(),
  user_agent text check (length(user_agent) <= 512),
  ip text check (length(ip) <= 64),
  revoked_at timestamptz,
  revoked_reason text check (revoked_reason in ('logout', 'logout_all', 'revoked', 'password_reset', 'refresh_token_reuse', 'account_linked'))
);
create index sessions_user_id_idx on sessions (user_id) where revoked_at is null;

-- Opaque refresh tokens, stored only as SHA-256 hashes.
create table refresh_tokens (
  token_hash bytea primary key check (length(token_hash) = 32),
  session_id uuid not null references sessions (id) on delete cascade,
  created_at timestamptz not null default now(),
  rotated_at timestamptz
);
create index refresh_tokens_session_id_idx on refresh_tokens (session_id);

-- Single-use links sent by email, stored only as SHA-256 hashes.
create table email_tokens (
  token_hash bytea primary key check (length(token_hash) = 32),
  user_id uuid not null references users (id) on delete cascade,
  purpose text not null check (purpose in ('verify_email', 'reset_password')),
  email text not null,
  created_at timestamptz not null default now(),
  expires_at timestamptz not null,
  used_at timestamptz
);
create index email_tokens_user_id_idx on email_tokens (user_id, purpose);

-- External identities: ('google', sub), ('github', id), ('oidc:<issuer>', sub).
create table oauth_accounts (
  provider text not null check (length(provider) between 1 and 300),
  subject text not null check (length(subject) between 1 and 300),
  user_id uuid not null references users (id) on delete cascade,
  email text,
  created_at timestamptz not null default now(),
  last_login_at timestamptz not null default now(),
  primary key (provider, subject)
);
create index oauth_accounts_user_id_idx on oauth_accounts (user_id);

-- Throttling counters (failed logins, signups, reset requests), kept in
-- Postgres so every api instance shares them.
create table rate_limits (
  key text primary key check (length(key) <= 600),
  hits integer not null check (hits >= 0),
  window_started_at timestamptz not null,
  last_hit_at timestamptz not null
);
create index rate_limits_last_hit_at_idx on rate_limits (last_hit_at);
