-- Workspaces and API keys (SPEC §2). Only a SHA-256 hash of a key is stored.
create table workspaces (
    id          uuid primary key,
    name        text not null unique,
    created_at  timestamptz not null
);

create table api_keys (
    id            uuid primary key,
    workspace_id  uuid not null references workspaces (id),
    prefix        text not null,
    key_hash      bytea not null unique,
    scopes        text[] not null,
    created_at    timestamptz not null,
    revoked_at    timestamptz
);
create index api_keys_workspace on api_keys (workspace_id);

-- Connectors (SPEC §3). Deleting one marks it deleted; what was ingested from it is kept.
create table connectors (
    id            uuid primary key,
    workspace_id  uuid not null references workspaces (id),
    name          text not null,
    kind          text not null,
    created_at    timestamptz not null,
    deleted_at    timestamptz
);
create index connectors_workspace on connectors (workspace_id, id desc) where deleted_at is null;

-- One table of webhook records for both directions (SPEC §4). Secrets are AES-256-GCM ciphertexts.
create table webhooks (
    id                          uuid primary key,
    workspace_id                uuid not null references workspaces (id),
    direction                   text not null check (direction in ('outbound', 'inbound')),
    url                         text,
    connector_id                uuid references connectors (id),
    event_types                 text[],
    enabled                     boolean not null,
    description                 text,
    disabled_reason             text,
    secret                      bytea not null,
    previous_secret             bytea,
    previous_secret_expires_at  timestamptz,
    failing_since               timestamptz,
    created_at                  timestamptz not null,
    updated_at                  timestamptz not null,
    constraint webhooks_shape check (
        (direction = 'outbound' and url is not null and event_types is not null and connector_id is null)
        or (direction = 'inbound' and connector_id is not null and url is null and event_types is null))
);
create index webhooks_workspace on webhooks (workspace_id, id desc);
create unique index webhooks_one_inbound_per_connector on webhooks (connector_id) where connector_id is not null;

-- Inbound events (SPEC §5): the raw bytes as received and the same bytes parsed.
create table inbound_events (
    id            uuid primary key,
    workspace_id  uuid not null references workspaces (id),
    connector_id  uuid not null references connectors (id),
    event_id      text,
    raw_body      bytea not null,
    payload       jsonb not null,
    content_type  text,
    user_agent    text,
    received_at   timestamptz not null
);
create unique index inbound_events_dedupe on inbound_events (connector_id, event_id) where event_id is not null;
create index inbound_events_connector on inbound_events (workspace_id, connector_id, id desc);

-- The transactional outbox (SPEC §6, §7): events written with the change that caused them.
create table events (
    id                 uuid primary key,
    workspace_id       uuid not null references workspaces (id),
    type               text not null,
    body               bytea not null,
    idempotency_key    text,
    target_webhook_id  uuid,
    created_at         timestamptz not null,
    processed_at       timestamptz
);
create unique index events_idempotency on events (workspace_id, idempotency_key) where idempotency_key is not null;
create index events_unprocessed on events (created_at) where processed_at is null;

-- Deliveries: one per (event, webhook); a redelivery is a new row.
create table deliveries (
    id               uuid primary key,
    workspace_id     uuid not null references workspaces (id),
    webhook_id       uuid not null,
    event_id         uuid not null references events (id),
    status           text not null check (status in ('pending', 'in_flight', 'succeeded', 'failed', 'dead', 'cancelled')),
    attempt_count    integer not null default 0,
    next_attempt_at  timestamptz,
    locked_until     timestamptz,
    lease_token      uuid,
    last_status_code integer,
    last_error       text,
    created_at       timestamptz not null,
    updated_at       timestamptz not null
);
create index deliveries_webhook on deliveries (workspace_id, webhook_id, id desc);
create index deliveries_due on deliveries (next_attempt_at) where status in ('pending', 'failed', 'in_flight');

create table delivery_attempts (
    delivery_id    uuid not null references deliveries (id),
    attempt        integer not null,
    workspace_id   uuid not null,
    started_at     timestamptz not null,
    duration_ms    integer not null,
    status_code    integer,
    response_body  text,
    error          text,
    primary key (delivery_id, attempt)
);
