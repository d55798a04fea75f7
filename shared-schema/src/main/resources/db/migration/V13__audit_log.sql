-- The staff admin's history (core-app, docs/admin.md): one row per add, change or delete made
-- through the admin, including each object a bulk action touched. Kept for good; never edited.
--   actor_id: who did it; set to null if that account is ever hard-deleted, actor_email keeps the name.
--   entity: the admin model's name (user, post, ...); object_id: the row's primary key as text.
--   object_repr: how the object was shown at the time (it may be gone since).
--   changes: field-level diff, {"field": {"from": old, "to": new}} as the admin displayed the values;
--     for added rows "from" is null, for deleted rows "to" is null.
--   note: what the change came from when it was not the change form (a bulk action's name).

create table audit_log (
    id          bigint generated always as identity primary key,
    occurred_at timestamptz not null default now(),
    actor_id    bigint      references users (id) on delete set null,
    actor_email text        not null,
    action      text        not null,
    entity      text        not null,
    object_id   text        not null,
    object_repr text        not null,
    changes     jsonb       not null default '{}',
    note        text        not null default '',
    constraint audit_log_action_valid check (action in ('added', 'changed', 'deleted')),
    constraint audit_log_entity_format check (entity ~ '^[a-z][a-z0-9_]{0,62}$'),
    constraint audit_log_changes_object check (jsonb_typeof(changes) = 'object')
);

-- An object's history, newest first.
create index audit_log_object_idx on audit_log (entity, object_id, occurred_at desc);
-- "Recent actions" on the admin home.
create index audit_log_occurred_idx on audit_log (occurred_at desc);
-- Serves the set-null from users.
create index audit_log_actor_idx on audit_log (actor_id);

comment on table audit_log is 'Owner: core-app (admin). Who changed what through the staff admin.';
