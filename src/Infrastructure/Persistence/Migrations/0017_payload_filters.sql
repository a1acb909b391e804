-- Payload filters (§16): an outbound webhook's filter, compact JSON as the domain checked it (null: none).
alter table webhooks add column filter text;
