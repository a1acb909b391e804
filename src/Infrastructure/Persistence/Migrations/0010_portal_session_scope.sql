-- §12: a portal session that lists webhooks but not connectors (or connectors but not webhooks) covers none of the
-- other kind. Sessions opened before this rule stored the missing list as null, which covered every one of them: they
-- now cover none, as they were meant to.
update portal_sessions set connector_ids = '{}' where webhook_ids is not null and connector_ids is null;
update portal_sessions set webhook_ids = '{}' where connector_ids is not null and webhook_ids is null;
