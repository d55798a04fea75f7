package dev.tandem.core.identity.account;

import dev.tandem.core.platform.Sql;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/**
 * Single-use, expiring tokens for the links sent by email. The token (256 random bits) goes only
 * into the mail; the table keeps its SHA-256, so a copy of the database cannot click anyone's link.
 */
@Component
public class EmailTokens {

    /** What a link is for. */
    public enum Purpose {
        VERIFY_EMAIL,
        RESET_PASSWORD
    }

    /** A token that was valid and is now spent: whose it is and the address it was sent to. */
    public record Redeemed(long userId, String email) {}

    private static final SecureRandom RANDOM = new SecureRandom();

    private final JdbcClient jdbc;
    private final Clock clock;

    EmailTokens(JdbcClient jdbc, Clock clock) {
        this.jdbc = jdbc;
        this.clock = clock;
    }

    /** A new token for {@code userId}; earlier open tokens of the same purpose stop working. */
    @Transactional(propagation = Propagation.MANDATORY)
    public String issue(long userId, Purpose purpose, String email, Duration lifetime) {
        byte[] raw = new byte[32];
        RANDOM.nextBytes(raw);
        String token = Base64.getUrlEncoder().withoutPadding().encodeToString(raw);
        Instant now = clock.instant();
        revokeOpen(userId, purpose);
        jdbc.sql("insert into email_tokens (user_id, purpose, token_hash, email, created_at, expires_at)"
                        + " values (?, ?, ?, ?, ?, ?)")
                .params(userId, purpose.name(), hash(token), email, Sql.at(now), Sql.at(now.plus(lifetime)))
                .update();
        return token;
    }

    /** The token's owner if it is open and unexpired, without spending it (to show a form first). */
    public Optional<Redeemed> peek(String token, Purpose purpose) {
        return jdbc.sql("select user_id, email from email_tokens where token_hash = ? and purpose = ?"
                        + " and used_at is null and expires_at > ?")
                .params(hash(token), purpose.name(), Sql.at(clock.instant()))
                .query((rs, row) -> new Redeemed(rs.getLong(1), rs.getString(2)))
                .optional();
    }

    /** Spends the token: returns its owner once; a used, expired or unknown token gives nothing. */
    @Transactional(propagation = Propagation.MANDATORY)
    public Optional<Redeemed> redeem(String token, Purpose purpose) {
        return jdbc.sql("update email_tokens set used_at = ? where token_hash = ? and purpose = ?"
                        + " and used_at is null and expires_at > ? returning user_id, email")
                .params(Sql.at(clock.instant()), hash(token), purpose.name(), Sql.at(clock.instant()))
                .query((rs, row) -> new Redeemed(rs.getLong(1), rs.getString(2)))
                .optional();
    }

    @Transactional(propagation = Propagation.MANDATORY)
    public void revokeOpen(long userId, Purpose purpose) {
        jdbc.sql("update email_tokens set used_at = ? where user_id = ? and purpose = ? and used_at is null")
                .params(Sql.at(clock.instant()), userId, purpose.name())
                .update();
    }

    private static byte[] hash(String token) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.US_ASCII));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
