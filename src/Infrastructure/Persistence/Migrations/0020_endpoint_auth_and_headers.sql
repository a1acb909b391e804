-- Endpoint authentication and static headers of outbound webhooks (SPEC §17). Nullable columns without a default: a
-- catalog change only, no rewrite of the table. Secrets are AES-256-GCM ciphertexts (ISecretProtector), never plain.
alter table webhooks add column header_names text[];  -- the static headers' names, shown with masked values
alter table webhooks add column headers bytea;        -- the name → value pairs, as one encrypted JSON object
alter table webhooks add column auth jsonb;           -- the auth's settings: type, token_url, client_id, … or the certificate
alter table webhooks add column auth_secret bytea;    -- the auth's secret, encrypted: the client secret or the private key
