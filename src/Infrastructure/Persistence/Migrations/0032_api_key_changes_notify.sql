-- A change to api_keys (a revocation by the CLI, or by hand in SQL) tells every instance at its commit, so that the keys
-- each instance remembers (ApiKeyCache) are looked up again: a revoked key is refused from the next request on.
create or replace function api_keys_changed() returns trigger language plpgsql as $$
begin
    perform pg_notify('causeloop_api_keys', '');
    return null;
end
$$;

drop trigger if exists api_keys_changed on api_keys;
create trigger api_keys_changed after update or delete or truncate on api_keys
    for each statement execute function api_keys_changed();
