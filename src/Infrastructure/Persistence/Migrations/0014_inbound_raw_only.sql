-- An accepted inbound body is stored once, as the raw bytes that were verified (ADR 0010). The parsed jsonb copy is kept
-- only where it differs from them: a form-encoded Slack body, stored as a JSON object of its fields.
alter table inbound_events alter column payload drop not null;
