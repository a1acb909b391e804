-- Rate limits (§17): deliveries per second to a webhook (null: none), and each limited webhook's token bucket,
-- written only by the claim under its per-webhook advisory lock (a row appears the first time the bucket is spent;
-- no row is a full bucket). Kept apart from webhooks so the claim never locks a webhook row.
alter table webhooks add column rate_limit integer check (rate_limit between 1 and 10000);
create table rate_buckets (
    webhook_id uuid primary key references webhooks (id) on delete cascade,
    tokens double precision not null,
    refilled_at timestamptz not null
);
