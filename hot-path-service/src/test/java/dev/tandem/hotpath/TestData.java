package dev.tandem.hotpath;

import dev.tandem.devstack.testing.TestServers;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.UUID;

/** Rows written straight to the test database, as core-app (the owner of users) would have. */
public final class TestData {

    private TestData() {}

    public static long insertUser(String displayName, String status) {
        return queryLong(
                "insert into users (email, display_name, status, email_verified_at) values (?, ?, ?, now())"
                        + " returning id",
                UUID.randomUUID() + "@example.com",
                displayName,
                status);
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

    private static void bind(PreparedStatement s, Object... params) throws SQLException {
        for (int i = 0; i < params.length; i++) {
            s.setObject(i + 1, params[i]);
        }
    }
}
