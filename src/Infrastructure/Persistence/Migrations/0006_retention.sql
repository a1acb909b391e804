-- Retention (§14): the job finds old rows by time and must check references cheaply.
create index deliveries_event on deliveries (event_id);
create index deliveries_final_by_age on deliveries (updated_at) where status in ('succeeded', 'dead', 'cancelled');
create index events_by_age on events (created_at);
create index inbound_events_by_age on inbound_events (received_at);
