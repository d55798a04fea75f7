-- Idempotency keys and metered usage become per workspace: an account in two workspaces has a key
-- space and a counter in each (before, one account-wide row per key, or per day and metric, took
-- the workspace of whichever request came first).
--
-- * idempotency_keys gains workspace_id (filled for the rows kept now, a day's worth, in batches;
--   rows written by an instance that predates this get the account's personal workspace from the
--   trigger, as V16's tables do).
-- * The primary keys of idempotency_keys, usage_counters and billing_usage gain workspace_id: the
--   new unique index is built CONCURRENTLY, then swapped in under a lock held for an instant.
--
-- Rollout: hot-path-service and core-app from the same release use the new keys. An instance
-- from before keeps serving; only its usage flush (whose ON CONFLICT names the old key) fails, and
-- keeps its counts in memory for the next try until the instance is replaced, so replace the old
-- instances promptly after migrating: the counts an old instance holds when it stops are lost.
--
-- Not in a transaction (V18__workspace_keys.sql.conf). Every statement may run again: if this
-- migration fails part-way, fix the cause, repair and migrate again.

alter table idempotency_keys add column if not exists workspace_id bigint;
alter table idempotency_keys drop constraint if exists idempotency_keys_workspace_fk;
alter table idempotency_keys add constraint idempotency_keys_workspace_fk
    foreign key (workspace_id) references workspaces (id) on delete cascade not valid;
drop trigger if exists idempotency_keys_workspace_default on idempotency_keys;
create trigger idempotency_keys_workspace_default before insert on idempotency_keys
    for each row when (new.workspace_id is null) execute function workspace_default_personal('user_id');

-- The rows kept now (a day of keys), 5000 at a time; a key whose account has no personal
-- workspace (none should) is dropped rather than left without a workspace.
do $$
declare
    filled bigint;
begin
    loop
        update idempotency_keys t set workspace_id = w.id
        from workspaces w
        where w.personal_for = t.user_id
          and (t.user_id, t.key) in (select user_id, key from idempotency_keys where workspace_id is null limit 5000);
        get diagnostics filled = row_count;
        commit;
        exit when filled = 0;
    end loop;
    delete from idempotency_keys where workspace_id is null;
    commit;
end
$$;

alter table idempotency_keys drop constraint if exists idempotency_keys_workspace_present;
alter table idempotency_keys add constraint idempotency_keys_workspace_present check (workspace_id is not null) not valid;
alter table idempotency_keys validate constraint idempotency_keys_workspace_present;
alter table idempotency_keys alter column workspace_id set not null;
alter table idempotency_keys drop constraint idempotency_keys_workspace_present;
alter table idempotency_keys validate constraint idempotency_keys_workspace_fk;

-- The new primary keys: built without blocking writes, then swapped in. An index left invalid by a
-- failed run is dropped and built again.
drop index concurrently if exists idempotency_keys_workspace_pkey;
create unique index concurrently idempotency_keys_workspace_pkey on idempotency_keys (workspace_id, user_id, key);
alter table idempotency_keys drop constraint idempotency_keys_pkey,
    add constraint idempotency_keys_pkey primary key using index idempotency_keys_workspace_pkey;

drop index concurrently if exists usage_counters_workspace_pkey;
create unique index concurrently usage_counters_workspace_pkey on usage_counters (workspace_id, user_id, day, metric);
alter table usage_counters drop constraint usage_counters_pkey,
    add constraint usage_counters_pkey primary key using index usage_counters_workspace_pkey;

drop index concurrently if exists billing_usage_workspace_pkey;
create unique index concurrently billing_usage_workspace_pkey on billing_usage (workspace_id, user_id, day, metric);
alter table billing_usage drop constraint billing_usage_pkey,
    add constraint billing_usage_pkey primary key using index billing_usage_workspace_pkey;

-- An account's own rows (erasure, the account's usage page): the old keys' leading column.
create index concurrently if not exists usage_counters_user_idx on usage_counters (user_id, day);
create index concurrently if not exists billing_usage_user_idx on billing_usage (user_id, day);
create index concurrently if not exists idempotency_keys_user_idx on idempotency_keys (user_id);

comment on table idempotency_keys is 'Owner: hot-path-service. First responses of POSTs sent with an Idempotency-Key, per workspace and account, kept a day.';
comment on table usage_counters is 'Owner: hot-path-service. Daily usage (UTC days) per workspace and account; billing reads it.';
comment on table billing_usage is 'Owner: core-app. Usage per workspace, account, UTC day and metric, from usage.recorded events.';
