-- UUIDv7 (RFC 9562) from a given time, for rows the delivery worker creates inside one statement.
-- Takes gen_random_uuid() (v4), puts the unix milliseconds in the first 48 bits, and sets version 7.
create function uuidv7(ts timestamptz) returns uuid
language sql volatile as $$
    select encode(
        set_bit(set_bit(
            overlay(uuid_send(gen_random_uuid())
                    placing substring(int8send(floor(extract(epoch from ts) * 1000)::bigint) from 3)
                    from 1 for 6),
            52, 1), 53, 1),
        'hex')::uuid
$$;
