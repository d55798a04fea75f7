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

    /** A live API key of this account with these scopes; returns the full key. */
    public static String insertApiKey(long userId, String... scopes) {
        ApiKeyFormat.ApiKey key = ApiKeyFormat.generate();
        try (Connection c = TestServers.postgres().dataSource().getConnection();
                PreparedStatement s = c.prepareStatement(
                        "insert into api_keys (id, user_id, name, secret_hash, scopes) values (?, ?, 'test', ?, ?)")) {
            s.setString(1, key.id());
            s.setLong(2, userId);
            s.setBytes(3, ApiKeyFormat.hash(key.secret()));
            s.setArray(4, c.createArrayOf("text", scopes));
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
