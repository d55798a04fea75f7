-- When each API key was last used. hot-path-service sees every use but does not write core-app's
-- api_keys, so it keeps this in a table of its own (flushed in batches with the usage counters);
-- core-app's key list reads it. api_keys.last_used_at, which nobody could fill, goes.
-- Owner: hot-path-service.

create table api_key_usage (
    key_id       text        primary key references api_keys (id) on delete cascade,
    last_used_at timestamptz not null
);

alter table api_keys drop column last_used_at;

comment on table api_key_usage is 'Owner: hot-path-service. Last use of each API key (to the flush interval); core-app reads it.';
