-- Replies of tasks run from the internal task queues (tandem.tasks, docs/tasks.md), kept so that a
-- task delivered again (the worker crashed after the commit, the reply was lost) answers with the
-- same reply instead of running twice. Written in the transaction that runs the task and records
-- it in the inbox. Kept a week.

create table task_replies (
    worker     text        not null,
    task_id    text        not null,
    reply      jsonb       not null,
    created_at timestamptz not null default now(),
    primary key (worker, task_id),
    constraint task_replies_task_id_length check (char_length(task_id) between 1 and 200)
);

create index task_replies_created_at_idx on task_replies (created_at);

comment on table task_replies is 'Owner: the row''s worker. Replies of tasks already run, sent again on redelivery.';
