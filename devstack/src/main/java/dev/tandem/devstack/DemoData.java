package dev.tandem.devstack;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import javax.sql.DataSource;
import org.springframework.security.crypto.argon2.Argon2PasswordEncoder;

/**
 * The demo accounts and a little content, so that a fresh devstack has something to show. Loaded
 * only by devstack (never in production), idempotently: a second run changes nothing.
 */
public final class DemoData {

    public record Account(String email, String password, String displayName, String role) {}

    public static final Account ADMIN = new Account("admin@tandem.dev", "tandem-admin-2026", "Tandem Admin", "ADMIN");
    public static final Account DEMO = new Account("demo@tandem.dev", "tandem-demo-2026", "Demo User", "USER");

    private static final List<String[]> POSTS = List.of(
            new String[] {
                "Hello from Tandem",
                "This post lives in PostgreSQL, owned by hot-path-service and shown by both services."
            },
            new String[] {
                "Two services, one schema",
                "core-app runs the web UI and accounts; hot-path-service serves the JSON API for apps."
            },
            new String[] {
                "Events between them",
                "Changes travel over RabbitMQ from a transactional outbox, so none is lost or applied twice."
            });

    // The OWASP parameters core-app uses: Argon2id, m=19 MiB, t=2, p=1.
    private static final Argon2PasswordEncoder ENCODER = new Argon2PasswordEncoder(16, 32, 1, 19 * 1024, 2);

    private DemoData() {}

    public static void load(DataSource dataSource) {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            long adminId = ensureAccount(c, ADMIN);
            long demoId = ensureAccount(c, DEMO);
            if (!hasPosts(c, demoId)) {
                insertPosts(c, demoId, adminId);
            }
            c.commit();
        } catch (SQLException e) {
            throw new DevStackException("could not load the demo data: " + e.getMessage(), e);
        }
    }

    private static long ensureAccount(Connection c, Account account) throws SQLException {
        try (PreparedStatement find = c.prepareStatement("select id from users where lower(email) = lower(?)")) {
            find.setString(1, account.email());
            try (ResultSet rs = find.executeQuery()) {
                if (rs.next()) {
                    return rs.getLong(1);
                }
            }
        }
        try (PreparedStatement insert = c.prepareStatement(
                "insert into users (email, display_name, password_hash, role, status, email_verified_at)"
                        + " values (?, ?, ?, ?, 'ACTIVE', now()) returning id")) {
            insert.setString(1, account.email());
            insert.setString(2, account.displayName());
            insert.setString(3, ENCODER.encode(account.password()));
            insert.setString(4, account.role());
            try (ResultSet rs = insert.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    private static boolean hasPosts(Connection c, long authorId) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("select exists (select 1 from posts where author_id = ?)")) {
            s.setLong(1, authorId);
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                return rs.getBoolean(1);
            }
        }
    }

    private static void insertPosts(Connection c, long authorId, long commenterId) throws SQLException {
        try (PreparedStatement post =
                        c.prepareStatement("insert into posts (author_id, title, body, created_at, updated_at)"
                                + " values (?, ?, ?, now() - make_interval(hours => ?), now() - make_interval(hours => ?))"
                                + " returning id");
                PreparedStatement comment =
                        c.prepareStatement("insert into comments (post_id, author_id, body) values (?, ?, ?)")) {
            int age = POSTS.size();
            for (String[] p : POSTS) {
                post.setLong(1, authorId);
                post.setString(2, p[0]);
                post.setString(3, p[1]);
                post.setInt(4, age);
                post.setInt(5, age--);
                long postId;
                try (ResultSet rs = post.executeQuery()) {
                    rs.next();
                    postId = rs.getLong(1);
                }
                comment.setLong(1, postId);
                comment.setLong(2, commenterId);
                comment.setString(3, "Welcome aboard! Replies like this one are comments.");
                comment.executeUpdate();
            }
        }
        // Written straight to the tables, these posts raise no events: set the counters the
        // events would have kept (core-app's dashboard reads them).
        try (PreparedStatement activity = c.prepareStatement("insert into account_activity"
                + " (user_id, posts_written, comments_written, comments_received) values (?, ?, 0, ?), (?, 0, ?, 0)"
                + " on conflict (user_id) do update set posts_written = account_activity.posts_written"
                + " + excluded.posts_written, comments_written = account_activity.comments_written"
                + " + excluded.comments_written, comments_received = account_activity.comments_received"
                + " + excluded.comments_received")) {
            activity.setLong(1, authorId);
            activity.setInt(2, POSTS.size());
            activity.setInt(3, POSTS.size());
            activity.setLong(4, commenterId);
            activity.setInt(5, POSTS.size());
            activity.executeUpdate();
        }
    }
}
