-- §12: a portal session never grants more than the API key that opened it. The key's scopes are kept with the session
-- and cap what the session's capabilities stand for. Sessions opened before were opened by a key that held
-- webhooks:admin (required to open one) and maybe more, which is not known: they keep webhooks:admin only, so they
-- no longer show connectors unless opened again.
alter table portal_sessions add column key_scopes text[];
update portal_sessions set key_scopes = '{webhooks:admin}';
alter table portal_sessions alter column key_scopes set not null;
