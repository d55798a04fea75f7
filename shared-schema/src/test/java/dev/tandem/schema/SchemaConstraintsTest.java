package dev.tandem.schema;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.UUID;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The rules the schema itself enforces, whatever a service or an admin writes. */
class SchemaConstraintsTest {

    private static DataSource db;

    @BeforeAll
    static void migrate() {
        db = TestPostgres.newMigratedDatabase();
    }

    @Test
    void anEmailBelongsToOneAccountWhateverItsCase() throws SQLException {
        insertUser("Case@Example.com");

        assertThatThrownBy(() -> insertUser("case@example.COM"))
                .isInstanceOf(SQLException.class)
                .hasMessageContaining("users_email_key");
    }

    @Test
    void anAccountIsActiveOnlyOnceItsEmailIsVerified() {
        assertThatThrownBy(() -> execute(
                        "insert into users (email, display_name, status) values ('a1@example.com', 'A', 'ACTIVE')"))
                .hasMessageContaining("users_verified_before_active");
    }

    @Test
    void rolesAndDisplayNamesAreChecked() {
        assertThatThrownBy(() ->
                        execute("insert into users (email, display_name, role) values ('r1@example.com', 'R', 'ROOT')"))
                .hasMessageContaining("users_role_valid");
        assertThatThrownBy(
                        () -> execute("insert into users (email, display_name) values ('r2@example.com', ' padded ')"))
                .hasMessageContaining("users_display_name_length");
    }

    @Test
    void deletingAUserRemovesTheirPostsCommentsAndFiles() throws SQLException {
        long author = insertUser("author@example.com");
        long reader = insertUser("reader@example.com");
        long post = insertPost(author);
        insertComment(post, reader);
        long readersPost = insertPost(reader);
        insertComment(readersPost, author);
        insertAttachment(author, null);

        execute("delete from users where id = " + author);

        assertThat(count("posts where author_id = " + author)).isZero();
        assertThat(count("comments where author_id = " + author)).isZero();
        assertThat(count("comments where post_id = " + post)).isZero();
        assertThat(count("attachments where owner_id = " + author)).isZero();
        assertThat(count("posts where id = " + readersPost)).isOne();
    }

    @Test
    void deletingAPostRemovesItsCommentsButKeepsItsFiles() throws SQLException {
        long author = insertUser("poster@example.com");
        long post = insertPost(author);
        insertComment(post, author);
        UUID file = insertAttachment(author, post);

        execute("delete from posts where id = " + post);

        assertThat(count("comments where post_id = " + post)).isZero();
        assertThat(count("attachments where id = '" + file + "' and post_id is null"))
                .isOne();
    }

    @Test
    void anAttachmentNameIsNeverAPath() throws SQLException {
        long owner = insertUser("files@example.com");
        for (String name : new String[] {"../etc/passwd", "a/b.txt", "..", "c:\\\\boot.ini"}) {
            assertThatThrownBy(() -> execute("insert into attachments (id, owner_id, storage_key, file_name,"
                            + " content_type, size_bytes, sha256) values ('" + UUID.randomUUID() + "', " + owner
                            + ", '" + UUID.randomUUID() + "', '" + name + "', 'text/plain', 1, '" + "a".repeat(64)
                            + "')"))
                    .as(name)
                    .hasMessageContaining("attachments_file_name_safe");
        }
    }

    @Test
    void theInboxAcceptsEachMessageOncePerConsumer() throws SQLException {
        execute("insert into inbox (consumer, message_id, event_type) values ('hot-path.core-events', 'm-1', 'x.y')");
        execute("insert into inbox (consumer, message_id, event_type) values ('core-app.content', 'm-1', 'x.y')");

        assertThatThrownBy(
                        () -> execute(
                                "insert into inbox (consumer, message_id, event_type) values ('hot-path.core-events', 'm-1', 'x.y')"))
                .hasMessageContaining("inbox_pkey");
    }

    @Test
    void anEventIsInTheOutboxOnce() throws SQLException {
        UUID id = UUID.randomUUID();
        String insert = "insert into outbox (event_id, producer, event_type, event_version, routing_key, payload)"
                + " values ('" + id + "', 'core-app', 'user.registered', 1, 'user.registered', '{}')";
        execute(insert);

        assertThatThrownBy(() -> execute(insert)).hasMessageContaining("outbox_event_id_unique");
    }

    private static long insertUser(String email) throws SQLException {
        return insertReturningId(
                "insert into users (email, display_name) values ('" + email + "', 'Someone') returning id");
    }

    private static long insertPost(long author) throws SQLException {
        return insertReturningId(
                "insert into posts (author_id, title, body) values (" + author + ", 'Title', 'Body') returning id");
    }

    private static void insertComment(long post, long author) throws SQLException {
        execute("insert into comments (post_id, author_id, body) values (" + post + ", " + author + ", 'Nice')");
    }

    private static UUID insertAttachment(long owner, Long post) throws SQLException {
        UUID id = UUID.randomUUID();
        execute("insert into attachments (id, owner_id, post_id, storage_key, file_name, content_type, size_bytes,"
                + " sha256) values ('" + id + "', " + owner + ", " + post + ", '" + id + "', 'photo.png', 'image/png',"
                + " 10, '" + "0".repeat(64) + "')");
        return id;
    }

    private static long insertReturningId(String sql) throws SQLException {
        try (Connection c = db.getConnection();
                ResultSet rs = c.createStatement().executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static long count(String fromWhere) throws SQLException {
        return insertReturningId("select count(*) from " + fromWhere);
    }

    private static void execute(String sql) throws SQLException {
        try (Connection c = db.getConnection()) {
            c.createStatement().execute(sql);
        }
    }
}
