-- causeloop: no transaction
-- Every query that looks for due deliveries does so per webhook (deliveries_due_by_webhook). The global index on the due
-- time served none of them, but deliveries made a moment ago lie past the planner's statistics, so it took this index for
-- nearly empty and chose it over the per-webhook one: the claim scanned every due delivery once per webhook (1.2 s per
-- claim beside 100,000 retries due tomorrow). It also cost a write on every delivery.
drop index concurrently if exists deliveries_due;
