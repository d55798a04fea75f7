-- The bus's durable ends (see docs/messaging.md).
-- outbox: each service writes its events here in the same transaction as the change they
--   describe; that service's relay publishes them with publisher confirms and stamps sent_at.
--   Rows are owned by their producer; a relay only ever reads its own.
-- inbox: each consumer records the ids of the messages it applied, in the same transaction as
--   the effect, so a redelivered message has no second effect. Rows are owned by their consumer.

create table outbox (
    seq           bigint generated always as identity primary key,
    event_id      uuid        not null,
    producer      text        not null,
    event_type    text        not null,
    event_version integer     not null,
    routing_key   text        not null,
    payload       jsonb       not null,
    created_at    timestamptz not null default now(),
    sent_at       timestamptz,
    attempts      integer     not null default 0,
    last_error    text,
    constraint outbox_event_id_unique unique (event_id),
    constraint outbox_producer_format check (producer ~ '^[a-z][a-z0-9-]{0,62}$'),
    constraint outbox_event_type_format check (event_type ~ '^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)+$'),
    constraint outbox_event_version_positive check (event_version >= 1),
    constraint outbox_attempts_non_negative check (attempts >= 0)
);

-- The relay's work queue: a producer's unsent rows in commit order. Stays small however
-- large the table grows, because sent rows leave it.
create index outbox_pending_idx on outbox (producer, seq) where sent_at is null;
-- Retention of sent rows.
create index outbox_sent_at_idx on outbox (sent_at) where sent_at is not null;

create table inbox (
    consumer    text        not null,
    message_id  text        not null,
    event_type  text        not null,
    received_at timestamptz not null default now(),
    primary key (consumer, message_id),
    constraint inbox_message_id_length check (char_length(message_id) between 1 and 200)
);

-- Retention of old entries.
create index inbox_received_at_idx on inbox (received_at);

comment on table outbox is 'Owner: the row''s producer. Transactional outbox, published by that producer''s relay.';
comment on column outbox.payload is 'The whole event envelope, as published.';
comment on table inbox is 'Owner: the row''s consumer. Ids of applied messages, for idempotent consumption.';
