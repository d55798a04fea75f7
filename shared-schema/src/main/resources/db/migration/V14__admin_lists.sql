-- The staff admin's change lists (docs/admin.md) over large tables.
--
-- Search: the admin looks for words anywhere in a post's title, lower(title) like '%words%'.
-- Without an index that reads every post (seconds on a million); a trigram index answers it.
-- pg_trgm is a trusted extension (PostgreSQL 13+), so the schema's owner may create it.
--
-- Order: each list is newest first, paged by the keyset (created_at, id). Posts have that index
-- already (posts_created_idx); comments and attachments, the other tables that grow to millions,
-- get one here, so their first page and every next one read 51 rows instead of sorting the table.
-- (Users, in the hundred thousands, are sorted: tens of milliseconds.)
--
-- On a large live database, build these first with CREATE INDEX CONCURRENTLY under the same names:
-- "if not exists" then skips them here and writes are never blocked.

create extension if not exists pg_trgm;

create index if not exists posts_title_trgm_idx on posts using gin (lower(title) gin_trgm_ops);
create index if not exists comments_created_idx on comments (created_at desc, id desc);
create index if not exists attachments_created_idx on attachments (created_at desc, id desc);
