package dev.tandem.schema;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.UUID;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.MigrationVersion;
import org.junit.jupiter.api.Test;

/** V16: the workspaces, the backfill of every owned row into one, and the defaults that keep it so. */
class WorkspacesSchemaTest {

    private DataSource db;

    @Test
    void theBackfillPutsEveryRowInItsAuthorsPersonalWorkspaceAndACommentWithItsPost() throws SQLException {
        db = TestPostgres.newDatabase();
        Flyway.configure(Migrations.class.getClassLoader())
                .configuration(Migrations.flyway(db).getConfiguration())
                .target(MigrationVersion.fromVersion("15"))
                .load()
                .migrate();
        long ann = user("ann@example.com", "Ann");
        long bob = user("bob@example.com", "Bob");
        long annsPost = post(ann);
        long bobsComment = comment(annsPost, bob);
        UUID bobsFile = attachment(bob);
        execute("insert into usage_counters (user_id, day, metric, quantity) values (" + bob
                + ", current_date, 'api.calls', 3)");
        execute("insert into billing_usage (user_id, day, metric, quantity) values (" + ann
                + ", current_date, 'api.calls', 5)");

        Migrations.migrate(Migrations.flyway(db));

        long annsWorkspace = number("select id from workspaces where personal_for = " + ann);
        long bobsWorkspace = number("select id from workspaces where personal_for = " + bob);
        assertThat(text("select name || ' ' || slug from workspaces where id = " + annsWorkspace))
                .isEqualTo("Ann's workspace personal-" + ann);
        assertThat(text("select role from workspace_members where workspace_id = " + annsWorkspace + " and user_id = "
                        + ann))
                .isEqualTo("owner");
        assertThat(number("select workspace_id from posts where id = " + annsPost))
                .isEqualTo(annsWorkspace);
        assertThat(number("select workspace_id from comments where id = " + bobsComment))
                .isEqualTo(annsWorkspace);
        assertThat(number("select workspace_id from attachments where id = '" + bobsFile + "'"))
                .isEqualTo(bobsWorkspace);
        assertThat(number("select workspace_id from usage_counters where user_id = " + bob))
                .isEqualTo(bobsWorkspace);
        assertThat(number("select workspace_id from billing_usage where user_id = " + ann))
                .isEqualTo(annsWorkspace);
        assertThat(number("select count(*) from workspace_members")).isEqualTo(2);
    }

    @Test
    void anAccountInsertedLaterGetsItsPersonalWorkspaceAndItsRowsDefaultToIt() throws SQLException {
        db = TestPostgres.newMigratedDatabase();
        long cat = user("cat@example.com", "Cat");
        long dan = user("dan@example.com", "Dan");
        long catsWorkspace = number("select id from workspaces where personal_for = " + cat);

        long catsPost = post(cat);
        long dansComment = comment(catsPost, dan);

        assertThat(number("select workspace_id from posts where id = " + catsPost))
                .isEqualTo(catsWorkspace);
        assertThat(number("select workspace_id from comments where id = " + dansComment))
                .isEqualTo(catsWorkspace);
        assertThat(number("select count(*) from workspace_members where user_id = " + dan + " and role = 'owner'"))
                .isOne();
    }

    @Test
    void noOwnedRowIsWithoutAWorkspaceOnceMigrated() throws SQLException {
        db = TestPostgres.newMigratedDatabase();
        long fay = user("fay@example.com", "Fay");
        long post = post(fay);

        for (String table : new String[] {
            "posts",
            "comments",
            "attachments",
            "inference_jobs",
            "usage_counters",
            "billing_usage",
            "api_keys",
            "refresh_tokens"
        }) {
            assertThat(text("select is_nullable from information_schema.columns where table_name = '" + table
                            + "' and column_name = 'workspace_id'"))
                    .as(table)
                    .isEqualTo("NO");
        }
        assertThatThrownBy(() -> execute("update posts set workspace_id = null where id = " + post))
                .hasMessageContaining("workspace_id");
    }

    @Test
    void aRowWrittenWithAWorkspaceKeepsIt() throws SQLException {
        db = TestPostgres.newMigratedDatabase();
        long eve = user("eve@example.com", "Eve");
        long team = number("insert into workspaces (name, slug) values ('Team', 'team-eve') returning id");

        long post = number("insert into posts (author_id, title, body, workspace_id) values (" + eve + ", 'T', 'B', "
                + team + ") returning id");

        assertThat(number("select workspace_id from posts where id = " + post)).isEqualTo(team);
    }

    @Test
    void slugsAreLowerCaseAndUniqueAmongOpenWorkspaces() throws SQLException {
        db = TestPostgres.newMigratedDatabase();
        execute("insert into workspaces (name, slug) values ('Acme', 'acme')");

        assertThatThrownBy(() -> execute("insert into workspaces (name, slug) values ('Acme 2', 'acme')"))
                .hasMessageContaining("workspaces_slug_key");
        assertThatThrownBy(() -> execute("insert into workspaces (name, slug) values ('Up', 'Acme-Up')"))
                .hasMessageContaining("workspaces_slug_format");
        assertThatThrownBy(() -> execute("insert into workspaces (name, slug) values ('Ab', 'ab')"))
                .hasMessageContaining("workspaces_slug_format");
        execute("update workspaces set deleted_at = now() where slug = 'acme'");
        execute("insert into workspaces (name, slug) values ('Acme again', 'acme')");
    }

    @Test
    void anAddressHasOneOpenInvitationPerWorkspace() throws SQLException {
        db = TestPostgres.newMigratedDatabase();
        long team = number("insert into workspaces (name, slug) values ('Team', 'team') returning id");
        invite(team, "New@Example.com", 1);

        assertThatThrownBy(() -> invite(team, "new@example.com", 2))
                .hasMessageContaining("workspace_invitations_open_key");
        execute("update workspace_invitations set revoked_at = now()");
        invite(team, "new@example.com", 3);
        assertThatThrownBy(() -> execute("update workspace_invitations set role = 'owner'"))
                .hasMessageContaining("workspace_invitations_role_valid");
    }

    private void invite(long workspace, String email, int tokenByte) throws SQLException {
        execute("insert into workspace_invitations (workspace_id, email, role, token_hash, expires_at) values ("
                + workspace + ", '" + email + "', 'member', decode(repeat('" + String.format("%02x", tokenByte)
                + "', 32), 'hex'), now() + interval '7 days')");
    }

    private long user(String email, String name) throws SQLException {
        return number("insert into users (email, display_name) values ('" + email + "', '" + name + "') returning id");
    }

    private long post(long author) throws SQLException {
        return number("insert into posts (author_id, title, body) values (" + author + ", 'T', 'B') returning id");
    }

    private long comment(long post, long author) throws SQLException {
        return number("insert into comments (post_id, author_id, body) values (" + post + ", " + author
                + ", 'Nice') returning id");
    }

    private UUID attachment(long owner) throws SQLException {
        UUID id = UUID.randomUUID();
        execute("insert into attachments (id, owner_id, storage_key, file_name, content_type, size_bytes, sha256)"
                + " values ('" + id + "', " + owner + ", '" + id + "', 'a.png', 'image/png', 1, '" + "0".repeat(64)
                + "')");
        return id;
    }

    private long number(String sql) throws SQLException {
        return Long.parseLong(text(sql));
    }

    private String text(String sql) throws SQLException {
        try (Connection c = db.getConnection();
                ResultSet rs = c.createStatement().executeQuery(sql)) {
            assertThat(rs.next()).as(sql).isTrue();
            return rs.getString(1);
        }
    }

    private void execute(String sql) throws SQLException {
        try (Connection c = db.getConnection()) {
            c.createStatement().execute(sql);
        }
    }
}
