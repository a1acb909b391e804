-- Lineage (§18): where each event came from, written in the same insert as the event; and, on an inbound event, the
-- issue.ingested event it caused (written in the same transaction). Nullable columns without a default: no table rewrite.
-- Events written before this migration have no cause recorded (cause_kind is null), and none is guessed for them.
alter table events add column cause_kind text;
alter table events add column cause_connector_id uuid;
alter table events add column cause_inbound_event_id uuid;
alter table events add column cause_api_key_prefix text;
alter table events add column cause_webhook_id uuid;
alter table inbound_events add column caused_event_id uuid;
