-- Deliveries of deleted webhooks that a worker left in flight (it died mid-attempt) were never claimed, cancelled or
-- deleted again. Deleting a webhook now cancels its in-flight deliveries too; this finishes the ones left before.
update deliveries d
set status = 'cancelled', next_attempt_at = null, locked_until = null, lease_token = null, updated_at = now()
where d.status in ('pending', 'failed', 'in_flight')
  and not exists (select 1 from webhooks w where w.id = d.webhook_id);
