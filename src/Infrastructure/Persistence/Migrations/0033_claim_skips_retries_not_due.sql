-- causeloop: no transaction
-- The claim visited every webhook with unfinished deliveries, so retries due tomorrow made every claim slower
-- (DeliverySql.ActiveWebhooks). Now one probe of deliveries_retry_due says whether any retry is due; when none is, the
-- claim visits only the webhooks with new or leased deliveries (deliveries_fresh_by_webhook), whose status column also
-- serves the count of deliveries under way, so deliveries_in_flight goes.
create index concurrently if not exists deliveries_fresh_by_webhook on deliveries (webhook_id, status)
    where status in ('pending', 'in_flight');
create index concurrently if not exists deliveries_retry_due on deliveries (next_attempt_at)
    where status = 'failed';
drop index concurrently if exists deliveries_in_flight;
