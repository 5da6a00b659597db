-- Billing: each user's plan (from a Stripe subscription or set by an operator),
-- the append-only usage ledger, the per-period counters quotas are enforced on
-- (conditional updates: `used + n <= limit`), reservations that are settled or
-- refunded exactly once, and Stripe events stored by id.

create table billing_accounts (
  user_id uuid primary key references users (id) on delete cascade,
  stripe_customer_id text unique,
  -- null: the default plan (DEFAULT_PLAN; Free when Stripe is configured)
  plan_id text check (plan_id ~ '^[a-z0-9-]{1,30}$'),
  plan_source text check (plan_source in ('stripe', 'manual')),
  billing_interval text check (billing_interval in ('month', 'year')),
  stripe_subscription_id text,
  subscription_status text,
  period_start timestamptz,
  period_end timestamptz check (period_end > period_start),
  cancel_at_period_end boolean not null default false,
  past_due_since timestamptz,
  -- `created` of the newest Stripe event or read applied, so an older one never wins
  stripe_synced_at timestamptz,
  updated_at timestamptz not null default now()
);
create index billing_accounts_past_due_idx on billing_accounts (past_due_since) where past_due_since is not null;
create index billing_accounts_subscription_idx on billing_accounts (stripe_subscription_id) where stripe_subscription_id is not null;

create table usage_counters (
  user_id uuid not null references users (id) on delete cascade,
  dimension text not null check (dimension in ('videos', 'minutes', 'messages', 'storage_bytes')),
  -- the billing period's start; '-infinity' for totals (videos, storage)
  period_start timestamptz not null,
  used bigint not null default 0 check (used >= 0),
  -- extra quota an operator granted for this period
  granted bigint not null default 0 check (granted >= 0),
  primary key (user_id, dimension, period_start)
);

create table usage_ledger (
  id bigint generated always as identity primary key,
  user_id uuid not null references users (id) on delete cascade,
  dimension text not null check (dimension in ('videos', 'minutes', 'messages', 'storage_bytes')),
  period_start timestamptz not null,
  amount bigint not null,
  kind text not null check (kind in ('reserve', 'charge', 'settle', 'refund', 'release', 'grant', 'backfill')),
  -- what it was for: a message, video or artifact id
  reference text,
  reason text not null default '',
  actor_id uuid references users (id) on delete set null,
  created_at timestamptz not null default now()
);
create index usage_ledger_user_idx on usage_ledger (user_id, period_start, created_at);
create index usage_ledger_reference_idx on usage_ledger (reference) where reference is not null;

create table usage_reservations (
  id uuid primary key default gen_random_uuid(),
  user_id uuid not null references users (id) on delete cascade,
  dimension text not null check (dimension in ('videos', 'minutes', 'messages', 'storage_bytes')),
  period_start timestamptz not null,
  amount bigint not null check (amount >= 0),
  reference text,
  status text not null default 'held' check (status in ('held', 'settled', 'refunded')),
  created_at timestamptz not null default now(),
  closed_at timestamptz
);
create index usage_reservations_reference_idx on usage_reservations (reference) where status = 'held';

create table stripe_events (
  id text primary key,
  type text not null,
  stripe_created_at timestamptz not null,
  payload jsonb not null,
  received_at timestamptz not null default now(),
  processed_at timestamptz,
  error text
);
create index stripe_events_unprocessed_idx on stripe_events (received_at) where processed_at is null;

create table billing_audit (
  id bigint generated always as identity primary key,
  user_id uuid not null references users (id) on delete cascade,
  action text not null,
  detail jsonb not null default '{}',
  actor text not null,
  created_at timestamptz not null default now()
);
create index billing_audit_user_idx on billing_audit (user_id, created_at desc);

-- Videos and storage already held count from the start.
insert into usage_counters (user_id, dimension, period_start, used)
select c.owner_id, d.dimension, '-infinity', sum(case when d.dimension = 'videos' then 1 else coalesce(v.bytes, 0) end)
from videos v join collections c on c.id = v.collection_id
cross join (values ('videos'), ('storage_bytes')) as d (dimension)
group by c.owner_id, d.dimension;
insert into usage_ledger (user_id, dimension, period_start, amount, kind, reason)
select user_id, dimension, period_start, used, 'backfill', 'usage before billing was installed' from usage_counters;
