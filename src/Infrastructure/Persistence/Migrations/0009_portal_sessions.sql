-- The delivery portal (§12): sessions opened by a one-time link token, then held by a cookie. Only hashes are stored.
create table portal_sessions (
    id            uuid primary key,
    workspace_id  uuid not null references workspaces (id),
    token_hash    bytea not null unique,
    cookie_hash   bytea unique,
    webhook_ids   uuid[],
    connector_ids uuid[],
    capabilities  text[] not null,
    created_at    timestamptz not null,
    expires_at    timestamptz not null,
    exchanged_at  timestamptz,
    revoked_at    timestamptz
);
create index portal_sessions_workspace on portal_sessions (workspace_id, id);
