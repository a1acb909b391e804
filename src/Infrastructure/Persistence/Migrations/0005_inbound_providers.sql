-- Inbound from real providers (connector kinds other than custom): where each stored event came from, and the
-- rejection log, at most 100 rows per connector (trimmed by the writer after each batch).
alter table inbound_events add column source_kind text not null default 'custom';
alter table inbound_events add column source_event_type text;

create table inbound_rejections (
    id              uuid primary key,
    workspace_id    uuid not null,
    connector_id    uuid not null,
    received_at     timestamptz not null,
    reason          text not null,
    remote_address  text,
    user_agent      text,
    content_length  bigint,
    body_sha256     text
);
create index inbound_rejections_connector on inbound_rejections (connector_id, received_at desc, id desc);
