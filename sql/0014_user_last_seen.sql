-- When each user last made an authenticated request, written at most once a
-- minute per user and api process; the active-users gauge (5 and 60 minutes)
-- counts from it with the index.
alter table users add column last_seen_at timestamptz;
create index users_last_seen_at_idx on users (last_seen_at) where last_seen_at is not null;
