-- causeloop: no transaction
-- The claim finds, per webhook and key, whether an earlier delivery or event of the key is unfinished (§15).
create index concurrently if not exists deliveries_key_order on deliveries (webhook_id, ordering_key, event_seq)
    where ordering_key is not null and status in ('pending', 'in_flight', 'failed');
create index concurrently if not exists outbox_key_order on outbox (workspace_id, ordering_key, event_seq)
    where ordering_key is not null;
