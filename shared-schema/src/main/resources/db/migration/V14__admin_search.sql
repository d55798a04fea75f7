-- The staff admin's search of posts (docs/admin.md) looks for the text anywhere in a title:
-- lower(title) like '%words%'. Without an index that reads every post (seconds on a million);
-- a trigram index answers it from the index. pg_trgm is a trusted extension (PostgreSQL 13+),
-- so the schema's owner may create it.

create extension if not exists pg_trgm;

create index posts_title_trgm_idx on posts using gin (lower(title) gin_trgm_ops);
