-- Sharing, part one: roles. A collection has exactly one owner: collections.owner_id
-- and the member row with role 'owner' name the same user (ownership transfer
-- changes both in one transaction); this index makes a second owner row impossible.
create unique index collection_members_one_owner_idx on collection_members (collection_id) where role = 'owner';

-- A conversation is private to the member who started it until they share it
-- read-only with the collection's members.
alter table conversations add column shared_at timestamptz;
create index conversations_shared_idx on conversations (collection_id, updated_at desc) where shared_at is not null;
