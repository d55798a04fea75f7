-- core-app's per-account numbers for the dashboard, kept by its consumer of hot-path-service's
-- content events (post.created, comment.created; see docs/messaging.md). Counted from the events,
-- not from hot-path's tables, so core-app never scans them. last_comment_mail_at rate-limits the
-- "new comment on your post" mail per account.

create table account_activity (
    user_id              bigint      primary key references users (id) on delete cascade,
    posts_written        bigint      not null default 0,
    comments_written     bigint      not null default 0,
    comments_received    bigint      not null default 0,
    last_comment_mail_at timestamptz,
    updated_at           timestamptz not null default now(),
    constraint account_activity_counts_non_negative
        check (posts_written >= 0 and comments_written >= 0 and comments_received >= 0)
);

comment on table account_activity is 'Owner: core-app. Per-account counters kept from content events.';
