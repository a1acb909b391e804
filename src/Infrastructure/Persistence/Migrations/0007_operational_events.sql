-- Operational events (§11): what the alert rules remember per webhook, and the webhook an event is about
-- (never delivered to it).
alter table webhooks add column consecutive_failures integer not null default 0;
alter table webhooks add column failing_alerted boolean not null default false;
alter table webhooks add column exhausted_alerted_at timestamptz;
alter table webhooks add column recovery_owed boolean not null default false;
alter table events add column subject_webhook_id uuid;
