package dev.tandem.core.content;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Reads posts and comments (hot-path's tables) for the web pages. core-app never writes them. Like
 * hot-path's reads, these hide what disabled or closed accounts wrote.
 */
@Component
class ContentReads {

    static final int PAGE = 20;
    /** Comments per page of a post. */
    static final int COMMENTS = 100;

    /** Account statuses whose content is shown (hot-path's reads use the same). */
    private static final String VISIBLE = "('ACTIVE', 'PENDING')";

    /**
     * SQL: a comment {@code c} the viewer (?, ?: id, staff) may see: not held for review (docs/inference.md),
     * or theirs, or the viewer is staff.
     */
    private static final String COMMENT_SHOWN = "(c.moderation <> 'held' or c.author_id = ? or ?)";

    /** moderation: visible, held (likely spam: its author and staff see it) or pending (not scored yet). */
    record PostSummary(long id, String title, Instant createdAt, long comments, String moderation) {
        public boolean held() {
            return "held".equals(moderation);
        }
    }

    record Post(
            long id,
            long authorId,
            String authorName,
            String title,
            String body,
            Instant createdAt,
            String moderation) {
        public boolean held() {
            return "held".equals(moderation);
        }
    }

    record Comment(long id, long authorId, String authorName, String body, Instant createdAt) {}

    /** Whom a mail about their content goes to: active accounts only. */
    record MailRecipient(String email, String displayName) {}

    private final JdbcClient jdbc;

    ContentReads(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** The author's posts in the workspace, newest first, older than {@code before} when given; one more than a page. */
    List<PostSummary> postsOf(long workspaceId, long authorId, @Nullable Long before) {
        return jdbc.sql("select p.id, p.title, p.created_at, p.moderation,"
                        + " (select count(*) from comments c join users a on a.id = c.author_id"
                        + " where c.post_id = p.id and a.status in " + VISIBLE
                        + " and (c.moderation <> 'held' or c.author_id = :author)) as comments"
                        + " from posts p where p.author_id = :author and p.workspace_id = :workspace"
                        + " and (:before::bigint is null or p.id < :before)"
                        + " order by p.id desc limit :rows")
                .param("author", authorId)
                .param("workspace", workspaceId)
                .param("before", before)
                .param("rows", PAGE + 1)
                .query((rs, row) -> new PostSummary(
                        rs.getLong("id"),
                        rs.getString("title"),
                        rs.getTimestamp("created_at").toInstant(),
                        rs.getLong("comments"),
                        rs.getString("moderation")))
                .list();
    }

    /**
     * A post of the workspace, unless it is held for review and the viewer neither wrote it nor
     * moderates. Another workspace's post is not found, exactly as one that does not exist.
     */
    Optional<Post> post(long workspaceId, long id, long viewerId, boolean staff) {
        return jdbc.sql("select p.id, p.author_id, u.display_name, p.title, p.body, p.created_at, p.moderation"
                        + " from posts p join users u on u.id = p.author_id where p.id = ? and p.workspace_id = ?"
                        + " and u.status in " + VISIBLE + " and (p.moderation <> 'held' or p.author_id = ? or ?)")
                .params(id, workspaceId, viewerId, staff)
                .query((rs, row) -> post(rs))
                .optional();
    }

    /** The author's own post, in whatever workspace: for mails to its author about it. */
    Optional<Post> postBy(long authorId, long id) {
        return jdbc.sql("select p.id, p.author_id, u.display_name, p.title, p.body, p.created_at, p.moderation"
                        + " from posts p join users u on u.id = p.author_id where p.id = ? and p.author_id = ?")
                .params(id, authorId)
                .query((rs, row) -> post(rs))
                .optional();
    }

    /** A comment everyone may see (not held for review). */
    Optional<Comment> comment(long id) {
        return jdbc.sql("select c.id, c.author_id, u.display_name, c.body, c.created_at from comments c"
                        + " join users u on u.id = c.author_id where c.id = ? and u.status in " + VISIBLE
                        + " and c.moderation <> 'held'")
                .param(id)
                .query((rs, row) -> new Comment(
                        rs.getLong("id"),
                        rs.getLong("author_id"),
                        rs.getString("display_name"),
                        rs.getString("body"),
                        rs.getTimestamp("created_at").toInstant()))
                .optional();
    }

    Optional<MailRecipient> mailRecipient(long userId) {
        return jdbc.sql("select email, display_name from users where id = ? and status = 'ACTIVE'")
                .param(userId)
                .query((rs, row) -> new MailRecipient(rs.getString("email"), rs.getString("display_name")))
                .optional();
    }

    long commentCount(long postId, long viewerId, boolean staff) {
        return jdbc.sql("select count(*) from comments c join users a on a.id = c.author_id where c.post_id = ?"
                        + " and a.status in " + VISIBLE + " and " + COMMENT_SHOWN)
                .params(postId, viewerId, staff)
                .query(Long.class)
                .single();
    }

    /** A page (from 1) of the post's comments, oldest first. A post's comments are few enough for offsets. */
    List<Comment> commentsOf(long postId, int page, long viewerId, boolean staff) {
        return jdbc.sql("select c.id, c.author_id, u.display_name, c.body, c.created_at from comments c"
                        + " join users u on u.id = c.author_id where c.post_id = ? and u.status in " + VISIBLE
                        + " and " + COMMENT_SHOWN
                        + " order by c.created_at, c.id"
                        + " limit ? offset ?")
                .params(postId, viewerId, staff, COMMENTS, (long) (page - 1) * COMMENTS)
                .query((rs, row) -> new Comment(
                        rs.getLong("id"),
                        rs.getLong("author_id"),
                        rs.getString("display_name"),
                        rs.getString("body"),
                        rs.getTimestamp("created_at").toInstant()))
                .list();
    }

    private static Post post(java.sql.ResultSet rs) throws java.sql.SQLException {
        return new Post(
                rs.getLong("id"),
                rs.getLong("author_id"),
                rs.getString("display_name"),
                rs.getString("title"),
                rs.getString("body"),
                rs.getTimestamp("created_at").toInstant(),
                rs.getString("moderation"));
    }
}
