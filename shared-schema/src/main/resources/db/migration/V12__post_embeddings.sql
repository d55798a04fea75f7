-- The text encoder's vector of each post (hot-path-service, docs/inference.md: similar posts),
-- written with the post (and again when it is edited) from the pass that moderates it; posts
-- written before this migration get theirs the first time someone asks for their similar posts.
-- embedding: the model's 384 float32 numbers, little-endian, unit length (1 536 bytes).

create table post_embeddings (
    post_id    bigint      primary key references posts (id) on delete cascade,
    model      text        not null,
    embedding  bytea       not null,
    updated_at timestamptz not null default now(),
    constraint post_embeddings_size check (octet_length(embedding) = 1536)
);

-- hot-path-service's in-memory index catches up on new and changed vectors by this.
create index post_embeddings_updated_idx on post_embeddings (updated_at, post_id);

comment on table post_embeddings is 'Owner: hot-path-service. Post vectors for similar posts.';
