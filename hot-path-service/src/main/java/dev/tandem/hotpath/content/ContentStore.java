package dev.tandem.hotpath.content;

import dev.tandem.hotpath.api.Cursor;
import dev.tandem.hotpath.auth.Caller;
import dev.tandem.hotpath.inference.Moderation.Verdict;
import dev.tandem.hotpath.users.PublicUserView;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The SQL of posts and comments. Every statement names the caller's workspace in its own WHERE
 * clause: another workspace's row is not found, exactly as one that does not exist, with no
 * statement more. Every statement is one round trip, counted in
 * {@code tandem.sql.statements{store="content"}} (tests assert the counts of the hot reads). Lists
 * are keyset-paged on (created_at, id), which the indexes of V2 serve; each asks for one row more
 * than the page to know whether another page exists.
 */
@ApplicationScoped
class ContentStore {

    /** Comments shown per post with ?include=comments; more are paged at /posts/{id}/comments. */
    static final int COMMENTS_PER_POST = 10;

    /**
     * Whose content is shown: accounts awaiting verification or active. Disabled and closed
     * accounts' posts and comments disappear at once (their removal follows the user.deleted flow).
     */
    private static final String VISIBLE = "('ACTIVE', 'PENDING')";

    private static final String POST_COLUMNS =
            "p.id, p.author_id, a.display_name as author_name, p.title, p.body, p.created_at, p.updated_at, p.version,"
                    + " p.moderation, p.language, p.sentiment";

    private static final String COMMENT_COLUMNS =
            "c.id, c.post_id, c.author_id, a.display_name as author_name, c.body, c.created_at, c.version,"
                    + " c.moderation, c.language, c.sentiment";

    /** What a write stores of its verdict: state, language, scores, and when it was scored. */
    private static final String VERDICT_COLUMNS = "moderation, language, sentiment, spam, moderated_at";

    private final Counter statements;

    ContentStore(MeterRegistry meters) {
        this.statements = Counter.builder("tandem.sql.statements")
                .description("SQL statements sent to PostgreSQL")
                .tag("store", "content")
                .register(meters);
    }

    /** The feed: the workspace's posts, newest first; never a held one. */
    Uni<List<PostView>> recentPosts(SqlClient sql, long workspaceId, @Nullable Cursor after, int rows) {
        String query = "select " + POST_COLUMNS + " from posts p join users a on a.id = p.author_id"
                + " where p.workspace_id = $2 and a.status in " + VISIBLE + " and p.moderation <> 'held'"
                + (after == null ? "" : " and (p.created_at, p.id) < ($3, $4)")
                + " order by p.created_at desc, p.id desc limit $1";
        Tuple params = after == null
                ? Tuple.of(rows, workspaceId)
                : Tuple.of(rows, workspaceId, at(after.at()), after.numericId());
        return run(sql, query, params).map(found -> map(found, ContentStore::post));
    }

    /**
     * The seeds' "user + posts": the user and a page of their posts in the workspace, in one
     * statement (a lateral join); empty when there is no such user or they are no member of the
     * workspace.
     */
    Uni<Optional<AuthorPage>> postsOf(
            SqlClient sql, long workspaceId, long userId, boolean withHeld, @Nullable Cursor after, int rows) {
        String query = "select u.id as user_id, u.display_name as user_name, u.status as user_status,"
                + " u.created_at as user_since, p.* from users u left join lateral (select " + POST_COLUMNS
                + " from posts p join users a on a.id = p.author_id where p.author_id = u.id and p.workspace_id = $4"
                + " and ($3 or p.moderation <> 'held')"
                + (after == null ? "" : " and (p.created_at, p.id) < ($5, $6)")
                + " order by p.created_at desc, p.id desc limit $2) p on true where u.id = $1"
                + " and exists (select 1 from workspace_members m where m.workspace_id = $4 and m.user_id = u.id)";
        Tuple params = after == null
                ? Tuple.of(userId, rows, withHeld, workspaceId)
                : Tuple.of(userId, rows, withHeld, workspaceId, at(after.at()), after.numericId());
        return run(sql, query, params).map(found -> {
            if (found.size() == 0) {
                return Optional.empty();
            }
            List<PostView> posts = new ArrayList<>();
            PublicUserView user = null;
            String status = null;
            for (Row row : found) {
                if (user == null) {
                    user = new PublicUserView(
                            row.getLong("user_id"), row.getString("user_name"), instant(row, "user_since"));
                    status = row.getString("user_status");
                }
                if (row.getValue("id") != null) {
                    posts.add(post(row));
                }
            }
            boolean visible = "ACTIVE".equals(status) || "PENDING".equals(status);
            return visible ? Optional.of(new AuthorPage(user, posts)) : Optional.empty();
        });
    }

    record AuthorPage(PublicUserView user, List<PostView> posts) {}

    /**
     * The first {@code perPost} comments (oldest first) of each of these posts, in one statement;
     * the caller asks for one more than it shows to learn whether a post has more.
     */
    Uni<Map<Long, List<CommentView>>> firstCommentsOf(SqlClient sql, List<Long> postIds, int perPost, Caller viewer) {
        if (postIds.isEmpty()) {
            return Uni.createFrom().item(Map.of());
        }
        String query = "select " + COMMENT_COLUMNS + " from unnest($1::bigint[]) as wanted(post_id)"
                + " cross join lateral (select * from comments c where c.post_id = wanted.post_id"
                + " and c.workspace_id = $5 and c.author_id in (select id from users where status in " + VISIBLE + ")"
                + " and " + shown("c", "$3", "$4")
                + " order by c.created_at, c.id limit $2) c join users a on a.id = c.author_id"
                + " order by c.post_id, c.created_at, c.id";
        Tuple params = Tuple.of(
                postIds.toArray(Long[]::new), perPost, viewer.userId(), viewer.moderates(), viewer.workspaceId());
        return run(sql, query, params).map(found -> {
            Map<Long, List<CommentView>> byPost = new LinkedHashMap<>();
            for (Row row : found) {
                CommentView comment = comment(row);
                byPost.computeIfAbsent(comment.postId(), id -> new ArrayList<>())
                        .add(comment);
            }
            return byPost;
        });
    }

    /** A post of the viewer's workspace, unless it is held and the viewer neither wrote it nor moderates. */
    Uni<Optional<PostView>> post(SqlClient sql, long id, Caller viewer) {
        return run(
                        sql,
                        "select " + POST_COLUMNS + " from posts p join users a on a.id = p.author_id where p.id = $1"
                                + " and p.workspace_id = $4 and a.status in " + VISIBLE + " and "
                                + shown("p", "$2", "$3"),
                        Tuple.of(id, viewer.userId(), viewer.moderates(), viewer.workspaceId()))
                .map(found -> first(found).map(ContentStore::post));
    }

    /** These posts of the workspace, in no particular order, leaving out what no one but its author may see (held, hidden authors). */
    Uni<List<PostView>> posts(SqlClient sql, long workspaceId, List<Long> ids) {
        if (ids.isEmpty()) {
            return Uni.createFrom().item(List.of());
        }
        return run(
                        sql,
                        "select " + POST_COLUMNS + " from posts p join users a on a.id = p.author_id"
                                + " where p.id = any($1) and p.workspace_id = $2 and a.status in " + VISIBLE
                                + " and p.moderation <> 'held'",
                        Tuple.of(ids.toArray(Long[]::new), workspaceId))
                .map(found -> map(found, ContentStore::post));
    }

    /** A post's comments, oldest first, after the cursor; empty when the workspace has no such post. */
    Uni<Optional<List<CommentView>>> commentsOf(
            SqlClient sql, long postId, Caller viewer, @Nullable Cursor after, int rows) {
        String query = "select p.id as wanted, c.* from posts p left join lateral (select " + COMMENT_COLUMNS
                + " from comments c join users a on a.id = c.author_id where c.post_id = p.id"
                + " and c.workspace_id = p.workspace_id and a.status in "
                + VISIBLE + " and " + shown("c", "$3", "$4")
                + (after == null ? "" : " and (c.created_at, c.id) > ($6, $7)")
                + " order by c.created_at, c.id limit $2) c on true where p.id = $1 and p.workspace_id = $5"
                + " and p.author_id in (select id from users where status in " + VISIBLE + ")"
                + " and " + shown("p", "$3", "$4");
        Tuple params = Tuple.of(postId, rows, viewer.userId(), viewer.moderates(), viewer.workspaceId());
        if (after != null) {
            params.addValue(at(after.at())).addValue(after.numericId());
        }
        return run(sql, query, params).map(found -> {
            if (found.size() == 0) {
                return Optional.empty();
            }
            List<CommentView> comments = new ArrayList<>();
            for (Row row : found) {
                if (row.getValue("id") != null) {
                    comments.add(comment(row));
                }
            }
            return Optional.of(comments);
        });
    }

    Uni<PostView> insertPost(SqlClient sql, Caller author, String title, String body, Verdict verdict) {
        String query = "with p as (insert into posts (author_id, title, body, " + VERDICT_COLUMNS + ", workspace_id)"
                + " values ($1, $2, $3, $4, $5, $6, $7, case when $8 then now() end, $9) returning *)"
                + " select " + POST_COLUMNS + " from p join users a on a.id = p.author_id";
        return run(
                        sql,
                        query,
                        verdictAfter(verdict, author.userId(), title, body).addLong(author.workspaceId()))
                .map(found -> post(found.iterator().next()));
    }

    /** The author and version of a post of the workspace, locked until the transaction ends. */
    Uni<Optional<Owned>> lockPost(SqlClient sql, long workspaceId, long id) {
        return run(
                        sql,
                        "select author_id, version from posts where id = $1 and workspace_id = $2 for update",
                        Tuple.of(id, workspaceId))
                .map(found -> first(found).map(row -> new Owned(row.getLong("author_id"), row.getLong("version"), 0)));
    }

    record Owned(long authorId, long version, long postAuthorId) {}

    /** New words, judged again: an edit cannot turn a post into spam unseen. */
    Uni<PostView> updatePost(SqlClient sql, long workspaceId, long id, String title, String body, Verdict verdict) {
        String query = "with p as (update posts set title = $2, body = $3, updated_at = now(), version = version + 1,"
                // A held post edited while the models are busy stays held until it is judged.
                + " moderation = case when $4 = 'pending' and moderation = 'held' then 'held' else $4 end,"
                + " language = $5, sentiment = $6, spam = $7,"
                + " moderated_at = case when $8 then now() end"
                + " where id = $1 and workspace_id = $9 returning *)"
                + " select " + POST_COLUMNS + " from p join users a on a.id = p.author_id";
        return run(sql, query, verdictAfter(verdict, id, title, body).addLong(workspaceId))
                .map(found -> post(found.iterator().next()));
    }

    Uni<Void> deletePost(SqlClient sql, long workspaceId, long id) {
        return run(sql, "delete from posts where id = $1 and workspace_id = $2", Tuple.of(id, workspaceId))
                .replaceWithVoid();
    }

    /** The comment's author and its post's author, locked; empty when the workspace has no such comment. */
    Uni<Optional<Owned>> lockComment(SqlClient sql, long workspaceId, long id) {
        String query = "select c.author_id, c.version, p.author_id as post_author_id"
                + " from comments c join posts p on p.id = c.post_id where c.id = $1 and c.workspace_id = $2"
                + " for update of c";
        return run(sql, query, Tuple.of(id, workspaceId))
                .map(found -> first(found)
                        .map(row -> new Owned(
                                row.getLong("author_id"), row.getLong("version"), row.getLong("post_author_id"))));
    }

    /**
     * A new comment and the author of its post, or empty when the post does not exist (or is held
     * and the commenter is not its author).
     */
    Uni<Optional<NewComment>> insertComment(SqlClient sql, long postId, Caller author, String body, Verdict verdict) {
        String query = "with p as (select id, author_id, workspace_id from posts where id = $1 and workspace_id = $9"
                + " and author_id in (select id from users where status in " + VISIBLE + ")"
                + " and (moderation <> 'held' or author_id = $2)),"
                + " c as (insert into comments (post_id, author_id, body, " + VERDICT_COLUMNS + ", workspace_id)"
                + " select id, $2, $3, $4, $5, $6, $7, case when $8 then now() end, workspace_id from p returning *)"
                + " select " + COMMENT_COLUMNS + ", p.author_id as post_author_id"
                + " from c join users a on a.id = c.author_id join p on p.id = c.post_id";
        return run(
                        sql,
                        query,
                        verdictAfter(verdict, postId, author.userId(), body).addLong(author.workspaceId()))
                .map(found -> first(found).map(row -> new NewComment(comment(row), row.getLong("post_author_id"))));
    }

    record NewComment(CommentView comment, long postAuthorId) {}

    Uni<Void> deleteComment(SqlClient sql, long workspaceId, long id) {
        return run(sql, "delete from comments where id = $1 and workspace_id = $2", Tuple.of(id, workspaceId))
                .replaceWithVoid();
    }

    /** SQL: a row of {@code alias} is shown to the viewer ($viewer id, $moderates): not held, or theirs, or a moderator. */
    private static String shown(String alias, String viewerId, String staff) {
        return "(" + alias + ".moderation <> 'held' or " + alias + ".author_id = " + viewerId + " or " + staff + ")";
    }

    /** The leading values, then $4..$8: state, language, sentiment, spam, scored. */
    private static Tuple verdictAfter(Verdict verdict, Object first, Object second, Object third) {
        return Tuple.tuple()
                .addValue(first)
                .addValue(second)
                .addValue(third)
                .addString(verdict.state())
                .addString(verdict.language())
                .addValue(verdict.sentiment())
                .addValue(verdict.spam())
                .addBoolean(verdict.scored());
    }

    private Uni<RowSet<Row>> run(SqlClient sql, String query, Tuple params) {
        statements.increment();
        return sql.preparedQuery(query).execute(params);
    }

    private static <T> List<T> map(RowSet<Row> rows, java.util.function.Function<Row, T> mapper) {
        List<T> list = new ArrayList<>(rows.size());
        for (Row row : rows) {
            list.add(mapper.apply(row));
        }
        return list;
    }

    private static Optional<Row> first(RowSet<Row> rows) {
        return rows.size() == 0 ? Optional.empty() : Optional.of(rows.iterator().next());
    }

    private static PostView post(Row row) {
        return new PostView(
                row.getLong("id"),
                row.getLong("author_id"),
                row.getString("author_name"),
                row.getString("title"),
                row.getString("body"),
                instant(row, "created_at"),
                instant(row, "updated_at"),
                row.getLong("version"),
                moderation(row),
                null,
                null);
    }

    private static ModerationView moderation(Row row) {
        Float sentiment = row.getFloat("sentiment");
        return new ModerationView(
                row.getString("moderation"),
                row.getString("language"),
                sentiment == null ? null : Math.round(sentiment * 10_000) / 10_000.0);
    }

    private static CommentView comment(Row row) {
        return new CommentView(
                row.getLong("id"),
                row.getLong("post_id"),
                row.getLong("author_id"),
                row.getString("author_name"),
                row.getString("body"),
                instant(row, "created_at"),
                row.getLong("version"),
                moderation(row));
    }

    private static Instant instant(Row row, String column) {
        return row.getOffsetDateTime(column).toInstant();
    }

    private static OffsetDateTime at(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC);
    }
}
