package dev.tandem.core;

import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.crypto.argon2.Argon2PasswordEncoder;

/** Accounts written straight to the database, with known passwords, for tests that sign in. */
public final class TestAccounts {

    /** A password that passes the policy. */
    public static final String PASSWORD = "quiet river stones at dawn";

    private static final Argon2PasswordEncoder ENCODER = new Argon2PasswordEncoder(16, 32, 1, 19 * 1024, 2);

    private final JdbcClient jdbc;

    public TestAccounts(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    public static String uniqueEmail(String name) {
        return name + "-" + UUID.randomUUID().toString().substring(0, 8) + "@example.com";
    }

    /** A verified account with the role given ({@code USER}, {@code STAFF}, {@code ADMIN}). */
    public long active(String email, String role) {
        return insert(email, role, "ACTIVE", ENCODER.encode(PASSWORD));
    }

    public long active(String email) {
        return active(email, "USER");
    }

    /** An account whose email is not verified yet. */
    public long pending(String email) {
        return insert(email, "USER", "PENDING", ENCODER.encode(PASSWORD));
    }

    /** An account whose hash was made with weaker Argon2 parameters than today's. */
    public long withWeakHash(String email) {
        return insert(email, "USER", "ACTIVE", new Argon2PasswordEncoder(16, 32, 1, 4096, 1).encode(PASSWORD));
    }

    public void setStatus(long userId, String status) {
        jdbc.sql("update users set status = ? where id = ?")
                .params(status, userId)
                .update();
    }

    public String passwordHash(long userId) {
        return jdbc.sql("select password_hash from users where id = ?")
                .param(userId)
                .query(String.class)
                .single();
    }

    private long insert(String email, String role, String status, String hash) {
        return jdbc.sql("insert into users (email, display_name, password_hash, role, status, email_verified_at)"
                        + " values (?, ?, ?, ?, ?, case when ? = 'PENDING' then null else now() end) returning id")
                .params(email, "Test " + email.substring(0, email.indexOf('-')), hash, role, status, status)
                .query(Long.class)
                .single();
    }
}
