package dev.tandem.core.identity.tokens;

import dev.tandem.core.identity.IdentityProperties;
import dev.tandem.core.platform.Sql;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * Opaque refresh tokens, stored as SHA-256, rotated on every use. Each sign-in starts a family;
 * using a token spends it and issues its successor in the same family. Presenting a spent token
 * means it was copied: the whole family is revoked, so neither the thief nor the victim can go on
 * without signing in again.
 */
@Component
public class RefreshTokens {

    /** The outcome of presenting a refresh token. */
    sealed interface Rotation {}

    /** Valid: here is its successor. */
    record Rotated(long userId, long workspaceId, List<String> scopes, Issued next) implements Rotation {}

    /** Already spent: the family is now revoked. */
    record Reused() implements Rotation {}

    /** Unknown, expired or revoked. */
    record Invalid() implements Rotation {}

    record Issued(String value, Instant expiresAt) {}

    private static final SecureRandom RANDOM = new SecureRandom();

    private final JdbcClient jdbc;
    private final IdentityProperties.Tokens settings;
    private final Clock clock;

    RefreshTokens(JdbcClient jdbc, IdentityProperties properties, Clock clock) {
        this.jdbc = jdbc;
        this.settings = properties.tokens();
        this.clock = clock;
    }

    /** The first token of a new family (a sign-in), acting in one workspace. */
    @Transactional
    Issued issue(long userId, long workspaceId, List<String> scopes) {
        return insert(UUID.randomUUID(), userId, workspaceId, scopes);
    }

    @Transactional(noRollbackFor = RuntimeException.class)
    Rotation rotate(String token) {
        Optional<Row> found = jdbc.sql(
                        "select id, family_id, user_id, workspace_id, scopes, expires_at, used_at, revoked_at"
                                + " from refresh_tokens where token_hash = ? for update")
                .param(hash(token))
                .query((rs, n) -> new Row(
                        rs.getObject("id", UUID.class),
                        rs.getObject("family_id", UUID.class),
                        rs.getLong("user_id"),
                        rs.getLong("workspace_id"),
                        List.of((String[]) rs.getArray("scopes").getArray()),
                        rs.getTimestamp("expires_at").toInstant(),
                        rs.getTimestamp("used_at") != null,
                        rs.getTimestamp("revoked_at") != null))
                .optional();
        if (found.isEmpty() || found.get().revoked()) {
            return new Invalid();
        }
        Row row = found.get();
        Instant now = clock.instant();
        if (row.used()) {
            revokeFamily(row.familyId());
            return new Reused();
        }
        if (!row.expiresAt().isAfter(now)) {
            return new Invalid();
        }
        jdbc.sql("update refresh_tokens set used_at = ? where id = ?")
                .params(Sql.at(now), row.id())
                .update();
        return new Rotated(
                row.userId(),
                row.workspaceId(),
                row.scopes(),
                insert(row.familyId(), row.userId(), row.workspaceId(), row.scopes()));
    }

    /** Revokes the family of {@code token}; unknown tokens are ignored (RFC 7009). */
    @Transactional
    void revoke(String token) {
        jdbc.sql("update refresh_tokens set revoked_at = ? where revoked_at is null and family_id ="
                        + " (select family_id from refresh_tokens where token_hash = ?)")
                .params(Sql.at(clock.instant()), hash(token))
                .update();
    }

    /** Ends every sign-in of the account on its apps (password change, account disabled or closed). */
    @Transactional
    public int revokeAllFor(long userId) {
        return jdbc.sql("update refresh_tokens set revoked_at = ? where user_id = ? and revoked_at is null")
                .params(Sql.at(clock.instant()), userId)
                .update();
    }

    /** Ends the sign-ins acting in a workspace, of one member or (null) of all (removed, or the workspace closed). */
    @Transactional
    public int revokeAllIn(long workspaceId, @Nullable Long userId) {
        return jdbc.sql("update refresh_tokens set revoked_at = ? where workspace_id = ? and revoked_at is null"
                        + " and (?::bigint is null or user_id = ?)")
                .params(Sql.at(clock.instant()), workspaceId, userId, userId)
                .update();
    }

    private void revokeFamily(UUID familyId) {
        jdbc.sql("update refresh_tokens set revoked_at = ? where family_id = ? and revoked_at is null")
                .params(Sql.at(clock.instant()), familyId)
                .update();
    }

    private Issued insert(UUID familyId, long userId, long workspaceId, List<String> scopes) {
        byte[] raw = new byte[32];
        RANDOM.nextBytes(raw);
        String value = Base64.getUrlEncoder().withoutPadding().encodeToString(raw);
        Instant now = clock.instant();
        Instant expiresAt = now.plus(settings.refreshTokenLifetime());
        jdbc.sql("insert into refresh_tokens (id, family_id, user_id, workspace_id, token_hash, scopes, created_at,"
                        + " expires_at) values (?, ?, ?, ?, ?, ?, ?, ?)")
                .params(
                        UUID.randomUUID(),
                        familyId,
                        userId,
                        workspaceId,
                        hash(value),
                        scopes.toArray(String[]::new),
                        Sql.at(now),
                        Sql.at(expiresAt))
                .update();
        return new Issued(value, expiresAt);
    }

    private static byte[] hash(String token) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.US_ASCII));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private record Row(
            UUID id,
            UUID familyId,
            long userId,
            long workspaceId,
            List<String> scopes,
            Instant expiresAt,
            boolean used,
            boolean revoked) {}
}
