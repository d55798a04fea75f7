-- Moderation on write (hot-path-service, docs/inference.md): each post and comment written through
-- the API is read by the models, and its language, sentiment and spam scores are kept beside it.
--   moderation: visible (shown to everyone), held (spam score at or above the threshold: shown to
--     its author and staff only, never in feeds, until staff release it), pending (not scored yet:
--     the model was busy or the row came in bulk; shown, and scored within seconds by a sweeper).
--   Rows written before this migration, or by other means (staff, bulk loads), are visible.
--   language: ISO 639-3 code of the detected language (OpenNLP), null when the text is too short.
--   sentiment: probability that the text is positive; spam: probability that it is spam (0..1).

alter table posts
    add column moderation   text not null default 'visible',
    add column language     text,
    add column sentiment    real,
    add column spam         real,
    add column moderated_at timestamptz,
    add constraint posts_moderation_state check (moderation in ('visible', 'held', 'pending')),
    add constraint posts_scores_range check (
        (sentiment is null or sentiment between 0 and 1) and (spam is null or spam between 0 and 1)),
    add constraint posts_language_code check (language is null or language ~ '^[a-z]{3}$');

alter table comments
    add column moderation   text not null default 'visible',
    add column language     text,
    add column sentiment    real,
    add column spam         real,
    add column moderated_at timestamptz,
    add constraint comments_moderation_state check (moderation in ('visible', 'held', 'pending')),
    add constraint comments_scores_range check (
        (sentiment is null or sentiment between 0 and 1) and (spam is null or spam between 0 and 1)),
    add constraint comments_language_code check (language is null or language ~ '^[a-z]{3}$');

-- The review queue (held) and the sweeper's work (pending): small, however large the tables grow.
create index posts_moderation_idx on posts (moderation, created_at) where moderation <> 'visible';
create index comments_moderation_idx on comments (moderation, created_at) where moderation <> 'visible';

comment on column posts.moderation is 'visible, held (spam: author and staff only) or pending (not scored yet).';
comment on column comments.moderation is 'visible, held (spam: author and staff only) or pending (not scored yet).';
