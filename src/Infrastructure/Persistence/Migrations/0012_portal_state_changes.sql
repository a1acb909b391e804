-- §11/§12: when portal sessions enabled or disabled each webhook, so that they can do it only so often (each change
-- emits an operational event). Each change prunes the webhook's rows that left the window: a few rows per webhook.
create table portal_state_changes (
    workspace_id  uuid not null,
    webhook_id    uuid not null,
    changed_at    timestamptz not null
);
create index portal_state_changes_webhook on portal_state_changes (workspace_id, webhook_id, changed_at);
