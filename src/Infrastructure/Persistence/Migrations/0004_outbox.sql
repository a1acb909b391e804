-- The outbox proper: one small row per event waiting to be fanned out, deleted by the fan-out. Events stay
-- insert-only (marking them processed rewrote each whole row, body included). No foreign key: the row is
-- written in the same statement as its event, and the check would cost an index probe per event.
-- events.processed_at is no longer written.
create table outbox (
    event_id      uuid primary key,
    workspace_id  uuid not null,
    created_at    timestamptz not null
);
create index outbox_order on outbox (created_at);
insert into outbox (event_id, workspace_id, created_at)
select id, workspace_id, created_at from events where processed_at is null;
drop index events_unprocessed;
