package dev.tandem.hotpath;

import dev.tandem.devstack.testing.TestServers;
import dev.tandem.schema.auth.ApiKeyFormat;
import io.restassured.RestAssured;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.UUID;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;

/** Rows written straight to the test database, as core-app (the owner of users) would have. */
public final class TestData {

    /** How long a test waits for a condition: only a real failure reaches it, however slow the machine. */
    public static final Duration PATIENCE = Duration.ofSeconds(60);

    private TestData() {}

    public static long insertUser(String displayName, String status) {
        return queryLong(
                "insert into users (email, display_name, status, email_verified_at) values (?, ?, ?, now())"
                        + " returning id",
                UUID.randomUUID() + "@example.com",
                displayName,
                status);
    }

    public static long insertUser(String displayName, String status, String role) {
        return queryLong(
                "insert into users (email, display_name, status, role, email_verified_at) values (?, ?, ?, ?, now())"
                        + " returning id",
                UUID.randomUUID() + "@example.com",
                displayName,
                status,
                role);
    }

    /** A workspace the account is a member of, and its role there. */
    public record Membership(long workspaceId, String role) {}

    /** The workspace the account joined last (at first, its personal one), where tests' tokens act. */
    public static Membership lastJoined(long userId) {
        long workspace = queryLong(
                "select workspace_id from workspace_members where user_id = ? order by id desc limit 1", userId);
        return new Membership(
                workspace,
                queryString(
                        "select role from workspace_members where user_id = ? and workspace_id = ?",
                        userId,
                        workspace));
    }

    /**
     * A team workspace owned by {@code owner} with the others as members (role {@code member}):
     * the single workspace of a test whose accounts read each other's content. Tokens and API keys
     * the tests make then act in it.
     */
    public static long shareWorkspace(long owner, long... members) {
        long workspace = insertWorkspace(owner);
        for (long member : members) {
            join(workspace, member, "member");
        }
        return workspace;
    }

    /** A new team workspace owned by this account; returns its id. */
    public static long insertWorkspace(long ownerId) {
        long id = queryLong(
                "insert into workspaces (name, slug) values ('Team', ?) returning id",
                "team-" + UUID.randomUUID().toString().substring(0, 8));
        join(id, ownerId, "owner");
        return id;
    }

    /** Makes the account a member of the workspace with this role. */
    public static void join(long workspaceId, long userId, String role) {
        execute(
                "insert into workspace_members (workspace_id, user_id, role) values (?, ?, ?)",
                workspaceId,
                userId,
                role);
    }

    /** A live API key of this account with these scopes, in the workspace it joined last; returns the full key. */
    public static String insertApiKey(long userId, String... scopes) {
        return insertApiKeyIn(lastJoined(userId).workspaceId(), userId, scopes);
    }

    /** A live API key of this account in this workspace with these scopes; returns the full key. */
    public static String insertApiKeyIn(long workspaceId, long userId, String... scopes) {
        ApiKeyFormat.ApiKey key = ApiKeyFormat.generate();
        try (Connection c = TestServers.postgres().dataSource().getConnection();
                PreparedStatement s = c.prepareStatement("insert into api_keys (id, user_id, workspace_id, name,"
                        + " secret_hash, scopes) values (?, ?, ?, 'test', ?, ?)")) {
            s.setString(1, key.id());
            s.setLong(2, userId);
            s.setLong(3, workspaceId);
            s.setBytes(4, ApiKeyFormat.hash(key.secret()));
            s.setArray(5, c.createArrayOf("text", scopes));
            s.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        return key.value();
    }

    /**
     * Waits until the service reports ready (its durable consumers subscribed among the rest), as a
     * deployment would before sending it work.
     */
    public static void awaitReady() {
        Awaitility.await()
                .alias("/q/health/ready answers 200")
                .atMost(PATIENCE)
                .until(() -> RestAssured.get("/q/health/ready").statusCode() == 200);
    }

    public static void execute(String sql, Object... params) {
        try (Connection c = TestServers.postgres().dataSource().getConnection();
                PreparedStatement s = c.prepareStatement(sql)) {
            bind(s, params);
            s.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    public static String queryString(String sql, Object... params) {
        try (Connection c = TestServers.postgres().dataSource().getConnection();
                PreparedStatement s = c.prepareStatement(sql)) {
            bind(s, params);
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                return rs.getString(1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    public static long queryLong(String sql, Object... params) {
        try (Connection c = TestServers.postgres().dataSource().getConnection();
                PreparedStatement s = c.prepareStatement(sql)) {
            bind(s, params);
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * The account's metered usage of {@code metric} once it reaches {@code expected} (usage is
     * flushed every second), or what it is when the wait gives up: the caller's assertion says
     * what was expected.
     */
    public static long meteredUsage(long userId, String metric, long expected) {
        try {
            return Awaitility.await()
                    .atMost(PATIENCE)
                    .until(() -> meteredUsage(userId, metric), used -> used >= expected);
        } catch (ConditionTimeoutException e) {
            return meteredUsage(userId, metric);
        }
    }

    private static long meteredUsage(long userId, String metric) {
        return queryLong(
                "select coalesce(sum(quantity), 0) from usage_counters where user_id = ? and metric = ?",
                userId,
                metric);
    }

    private static void bind(PreparedStatement s, Object... params) throws SQLException {
        for (int i = 0; i < params.length; i++) {
            s.setObject(i + 1, params[i]);
        }
    }
}
