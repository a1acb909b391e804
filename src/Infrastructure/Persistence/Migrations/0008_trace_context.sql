-- Observability (§13): the trace context of the request that created an event, so each delivery attempt's span links to it.
alter table events add column trace_parent text;
