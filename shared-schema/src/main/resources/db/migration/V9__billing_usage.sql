-- core-app's ledger of metered usage, per account, UTC day and metric, added up from
-- hot-path-service's usage.recorded events (each applied once: the inbox). Billing prices it.

create table billing_usage (
    user_id    bigint      not null references users (id) on delete cascade,
    day        date        not null,
    metric     text        not null,
    quantity   bigint      not null,
    updated_at timestamptz not null default now(),
    primary key (user_id, day, metric),
    constraint billing_usage_metric_format check (metric ~ '^[a-z][a-z0-9_.]{0,62}$'),
    constraint billing_usage_quantity_non_negative check (quantity >= 0)
);

comment on table billing_usage is 'Owner: core-app. Usage per account, UTC day and metric, from usage.recorded events.';
