-- The worker picks due deliveries per webhook (a few each), so one endpoint's backlog cannot hide the others'.
create index deliveries_due_by_webhook on deliveries (webhook_id, next_attempt_at) where status in ('pending', 'failed', 'in_flight');
create index deliveries_in_flight on deliveries (webhook_id) where status = 'in_flight';
