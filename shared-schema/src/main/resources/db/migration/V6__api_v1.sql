-- API v1 of hot-path-service: idempotent POSTs and usage metering.
-- Owner of every table here: hot-path-service.

-- A POST sent with an Idempotency-Key header: the first response is kept, and a retry with the
-- same key gets it again instead of creating a second row. Kept for a day.
create table idempotency_keys (
    user_id       bigint      not null references users (id) on delete cascade,
    key           text        not null,
    request_hash  bytea       not null,
    status_code   int         not null,
    response_body text        not null,
    location      text,
    created_at    timestamptz not null default now(),
    primary key (user_id, key),
    constraint idempotency_keys_key_format check (key ~ '^[\x21-\x7e]{1,255}$'),
    constraint idempotency_keys_hash_length check (octet_length(request_hash) = 32),
    constraint idempotency_keys_status_valid check (status_code between 200 and 599)
);

-- The daily clean-up deletes by age.
create index idempotency_keys_created_idx on idempotency_keys (created_at);

-- What each account used, per day: API calls now, inference and storage later. hot-path adds to
-- these counters in batches; billing reads them.
create table usage_counters (
    user_id  bigint not null references users (id) on delete cascade,
    day      date   not null,
    metric   text   not null,
    quantity bigint not null,
    primary key (user_id, day, metric),
    constraint usage_counters_metric_format check (metric ~ '^[a-z][a-z0-9_.]{0,62}$'),
    constraint usage_counters_quantity_positive check (quantity >= 0)
);

comment on table idempotency_keys is 'Owner: hot-path-service. First responses of POSTs sent with an Idempotency-Key, kept a day.';
comment on column idempotency_keys.request_hash is 'SHA-256 of the request (method, path, body): the same key with another request is refused.';
comment on table usage_counters is 'Owner: hot-path-service. Per-account daily usage (UTC days); billing reads it.';
