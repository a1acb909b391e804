-- Ordering keys (§15): an event's key and its place in the order events were accepted (a sequence, so two events
-- accepted in the same millisecond still have an order), copied to its outbox row and to its deliveries.
-- No default is backfilled: existing rows keep null (they have no key), and the tables are not rewritten.
create sequence events_seq;
alter table events add column ordering_key text;
alter table events add column seq bigint;
alter table events alter column seq set default nextval('events_seq');
alter table outbox add column ordering_key text;
alter table outbox add column event_seq bigint;
alter table deliveries add column ordering_key text;
alter table deliveries add column event_seq bigint;
