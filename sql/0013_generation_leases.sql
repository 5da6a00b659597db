-- Who is still generating a streamed answer or artifact. The api instance that
-- runs a generation renews its lease every few seconds; a lease that runs out
-- means that instance died (SIGKILL, OOM, lost host), and another instance or
-- maintenance settles the stream (failed, partial text kept, an `error` event)
-- instead of leaving it `streaming`. A claimed lease is set to -infinity so the
-- old owner, should it come back, cannot renew it.
create table generation_leases (
  stream_id uuid primary key,
  lease_until timestamptz not null
);
create index generation_leases_lease_until_idx on generation_leases (lease_until);
