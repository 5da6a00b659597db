-- A rotated refresh token keeps its successor, sealed (AES-256-GCM) with a key
-- derived from the rotated token itself, so a second presentation inside the
-- grace window gets the same successor instead of forking the session.
alter table refresh_tokens add column successor_sealed bytea;
