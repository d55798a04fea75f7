-- Background inference jobs (hot-path-service, docs/inference.md): POST /api/v1/inference/jobs
-- answers 202 at once; this table is both the job's status resource and its queue. Workers claim
-- the oldest waiting job with FOR UPDATE SKIP LOCKED (safe with N instances) and hold it under a
-- lease; a job whose worker died is claimed again when its lease runs out, at most 3 attempts.
--   texts: the job's input, dropped once the job has finished; results: one object per text, in order.
--   done: texts computed so far (progress).

create table inference_jobs (
    id          uuid        primary key,
    user_id     bigint      not null references users (id) on delete cascade,
    model       text        not null,
    status      text        not null default 'queued',
    total       integer     not null,
    done        integer     not null default 0,
    texts       jsonb,
    results     jsonb,
    error       text,
    attempts    integer     not null default 0,
    lease_until timestamptz,
    created_at  timestamptz not null default now(),
    started_at  timestamptz,
    finished_at timestamptz,
    constraint inference_jobs_status_valid check (status in ('queued', 'running', 'done', 'failed')),
    constraint inference_jobs_total_valid check (total between 1 and 1000),
    constraint inference_jobs_done_valid check (done between 0 and total),
    constraint inference_jobs_texts_present check (texts is not null or status in ('done', 'failed'))
);

-- The queue: waiting and running jobs, oldest first (a small partial index, whatever the history).
create index inference_jobs_waiting_idx on inference_jobs (created_at) where status in ('queued', 'running');
-- An account's jobs (the cascade from users, and retention by age).
create index inference_jobs_user_idx on inference_jobs (user_id);
create index inference_jobs_finished_idx on inference_jobs (finished_at) where finished_at is not null;
