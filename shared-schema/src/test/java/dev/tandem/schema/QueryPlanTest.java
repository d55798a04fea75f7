package dev.tandem.schema;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The hot queries are served by an index in the order they ask for: no sequential scan and no
 * sort step, so their cost does not grow with the table. Sequential and bitmap scans are disabled for the
 * check because on a small table the planner rightly prefers them.
 */
class QueryPlanTest {

    private static DataSource db;

    @BeforeAll
    static void seed() throws SQLException {
        db = TestPostgres.newMigratedDatabase();
        try (Connection c = db.getConnection();
                Statement s = c.createStatement()) {
            s.execute("insert into users (email, display_name) select 'u' || g || '@example.com', 'User ' || g"
                    + " from generate_series(1, 200) g");
            s.execute("insert into posts (author_id, title, body, created_at)"
                    + " select 1 + g % 200, 'Post ' || g, 'Body', now() - g * interval '1 minute'"
                    + " from generate_series(1, 2000) g");
            s.execute("insert into comments (post_id, author_id, body)"
                    + " select 1 + g % 2000, 1 + g % 200, 'Comment' from generate_series(1, 5000) g");
            s.execute("analyze");
        }
    }

    @Test
    void userById() throws SQLException {
        assertThat(plan("select id, display_name, created_at from users where id = 42"))
                .contains("Index Scan using users_pkey");
    }

    @Test
    void userByEmailAtLogin() throws SQLException {
        assertThat(plan("select id from users where lower(email) = lower('U7@example.com')"))
                .contains("users_email_key");
    }

    @Test
    void aUsersPostsNewestFirstByKeyset() throws SQLException {
        String plan = plan("select id, title, created_at from posts where author_id = 7"
                + " and (created_at, id) < (now(), 999999) order by created_at desc, id desc limit 20");

        assertThat(plan).contains("posts_author_created_idx").doesNotContain("Sort");
    }

    @Test
    void theFeedOfRecentPosts() throws SQLException {
        assertThat(plan("select id from posts order by created_at desc, id desc limit 20"))
                .contains("posts_created_idx")
                .doesNotContain("Sort");
    }

    @Test
    void theCommentsOfOnePost() throws SQLException {
        assertThat(plan("select id, body from comments where post_id = 3 order by created_at, id limit 50"))
                .contains("comments_post_created_idx")
                .doesNotContain("Sort");
    }

    @Test
    void theCommentsOfAPageOfPostsInOneQuery() throws SQLException {
        assertThat(plan("select post_id, id, body from comments where post_id = any('{1,2,3,4,5}'::bigint[])"))
                .contains("comments_post_created_idx");
    }

    @Test
    void theOutboxRelaysPendingRowsInOrder() throws SQLException {
        String plan = plan("select seq from outbox where producer = 'core-app' and sent_at is null"
                + " order by seq limit 100 for update skip locked");

        assertThat(plan).contains("outbox_pending_idx").doesNotContain("Sort");
    }

    private static String plan(String query) throws SQLException {
        StringBuilder plan = new StringBuilder();
        try (Connection c = db.getConnection();
                Statement s = c.createStatement()) {
            s.execute("set enable_seqscan = off");
            s.execute("set enable_bitmapscan = off");
            try (ResultSet rs = s.executeQuery("explain " + query)) {
                while (rs.next()) {
                    plan.append(rs.getString(1)).append('\n');
                }
            }
        }
        return plan.toString();
    }
}
