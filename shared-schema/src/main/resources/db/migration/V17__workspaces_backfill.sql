-- Fills workspace_id on the rows that predate workspaces, in batches that each commit, so the
-- services keep serving while it runs: each batch locks only its own rows for a moment, never the
-- table (measured on the bench data, 1M posts and 5M comments: docs/schema.md). New rows already
-- get theirs from V16's triggers. Then each column becomes NOT NULL through a validated CHECK (no
-- exclusive lock while the table is scanned), the foreign keys are validated, and the indexes are
-- built CONCURRENTLY.
--
-- Not in a transaction (V17__workspaces_backfill.sql.conf). Every statement may run again: if
-- this migration fails part-way, fix the cause, run `flyway repair` (or the migrate entry point's
-- repair) and migrate again; what was done is skipped or redone harmlessly.

-- Fills one table's workspace_id from `assignment` (an expression over the row `t`), walking
-- `range_column` in steps of `step` and committing after each step.
create or replace procedure workspace_backfill(tbl text, range_column text, assignment text, step bigint)
language plpgsql as $$
declare
    lo bigint;
    hi bigint;
begin
    execute format('select min(%I), max(%I) from %I where workspace_id is null', range_column, range_column, tbl)
        into lo, hi;
    while lo <= hi loop
        execute format('update %I t set workspace_id = (%s) where t.%I >= $1 and t.%I < $2 and t.workspace_id is null',
                       tbl, assignment, range_column, range_column)
            using lo, lo + step;
        commit;
        lo := lo + step;
    end loop;
end
$$;

call workspace_backfill('posts', 'id', 'select w.id from workspaces w where w.personal_for = t.author_id', 50000);
call workspace_backfill('comments', 'id', 'select p.workspace_id from posts p where p.id = t.post_id', 50000);
call workspace_backfill('attachments', 'owner_id', 'select w.id from workspaces w where w.personal_for = t.owner_id', 1000);
call workspace_backfill('inference_jobs', 'user_id', 'select w.id from workspaces w where w.personal_for = t.user_id', 1000);
call workspace_backfill('usage_counters', 'user_id', 'select w.id from workspaces w where w.personal_for = t.user_id', 1000);
call workspace_backfill('billing_usage', 'user_id', 'select w.id from workspaces w where w.personal_for = t.user_id', 1000);
call workspace_backfill('api_keys', 'user_id', 'select w.id from workspaces w where w.personal_for = t.user_id', 1000);
call workspace_backfill('refresh_tokens', 'user_id', 'select w.id from workspaces w where w.personal_for = t.user_id', 1000);

drop procedure workspace_backfill(text, text, text, bigint);

-- NOT NULL without holding the table's exclusive lock during a scan: a CHECK added NOT VALID,
-- validated under a lock that lets reads and writes go on, proves the column has no null, so SET
-- NOT NULL then skips its own scan.
create or replace procedure workspace_require(tbl text)
language plpgsql as $$
begin
    execute format('alter table %I drop constraint if exists %I', tbl, tbl || '_workspace_present');
    execute format('alter table %I add constraint %I check (workspace_id is not null) not valid', tbl, tbl || '_workspace_present');
    commit;
    execute format('alter table %I validate constraint %I', tbl, tbl || '_workspace_present');
    commit;
    execute format('alter table %I alter column workspace_id set not null', tbl);
    execute format('alter table %I drop constraint %I', tbl, tbl || '_workspace_present');
    commit;
    execute format('alter table %I validate constraint %I', tbl, tbl || '_workspace_fk');
    commit;
end
$$;

call workspace_require('posts');
call workspace_require('comments');
call workspace_require('attachments');
call workspace_require('inference_jobs');
call workspace_require('usage_counters');
call workspace_require('billing_usage');
call workspace_require('api_keys');
call workspace_require('refresh_tokens');

drop procedure workspace_require(text);

-- A workspace's posts and files, newest first (the keyset of the lists); the others serve
-- "a workspace's rows" and the cascade from workspaces. An index left invalid by a failed run is
-- dropped and built again.
drop index concurrently if exists posts_workspace_created_idx;
create index concurrently posts_workspace_created_idx on posts (workspace_id, created_at desc, id desc);
drop index concurrently if exists comments_workspace_idx;
create index concurrently comments_workspace_idx on comments (workspace_id);
drop index concurrently if exists attachments_workspace_created_idx;
create index concurrently attachments_workspace_created_idx on attachments (workspace_id, created_at desc, id desc);
drop index concurrently if exists inference_jobs_workspace_idx;
create index concurrently inference_jobs_workspace_idx on inference_jobs (workspace_id);
drop index concurrently if exists usage_counters_workspace_idx;
create index concurrently usage_counters_workspace_idx on usage_counters (workspace_id, day);
drop index concurrently if exists billing_usage_workspace_idx;
create index concurrently billing_usage_workspace_idx on billing_usage (workspace_id, day);
drop index concurrently if exists api_keys_workspace_idx;
create index concurrently api_keys_workspace_idx on api_keys (workspace_id, created_at desc);
drop index concurrently if exists refresh_tokens_workspace_user_idx;
create index concurrently refresh_tokens_workspace_user_idx on refresh_tokens (workspace_id, user_id);
