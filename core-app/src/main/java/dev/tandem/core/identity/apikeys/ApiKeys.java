package dev.tandem.core.identity.apikeys;

import dev.tandem.core.messaging.Outbox;
import dev.tandem.core.platform.Sql;
import dev.tandem.schema.auth.ApiKeyFormat;
import dev.tandem.schema.auth.ApiScope;
import dev.tandem.schema.events.ApiKeyRevoked;
import dev.tandem.schema.events.Events;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * An account's API keys ({@code tdm_<id>_<secret>}), each acting in one workspace. The secret
 * exists only in the creation response; the table keeps its SHA-256. hot-path-service authenticates API calls against this table.
 */
@Component
public class ApiKeys {

    /** At most this many live keys per account. */
    public static final int MAX_PER_ACCOUNT = 20;

    /** A key as the owner may see it after creation: never its secret. */
    public record ApiKeyView(
            String id,
            String name,
            String prefix,
            List<String> scopes,
            Instant createdAt,
            @Nullable Instant lastUsedAt,
            @Nullable Instant revokedAt)
            implements java.io.Serializable {

        public boolean active() {
            return revokedAt == null;
        }
    }

    /** A new key: the full value is shown once (a flash attribute, so it is kept in the session), then only its prefix. */
    public record CreatedKey(String value, ApiKeyView key) implements java.io.Serializable {}

    private final JdbcClient jdbc;
    private final Outbox outbox;
    private final Clock clock;

    ApiKeys(JdbcClient jdbc, Outbox outbox, Clock clock) {
        this.jdbc = jdbc;
        this.outbox = outbox;
        this.clock = clock;
    }

    /** A key of the account that acts in one workspace (the caller checked the member may have keys there). */
    @Transactional
    public CreatedKey create(long userId, long workspaceId, String name, Set<ApiScope> scopes) {
        if (scopes.isEmpty()) {
            throw new IllegalArgumentException("an API key needs at least one scope");
        }
        long live = jdbc.sql("select count(*) from api_keys where user_id = ? and revoked_at is null")
                .param(userId)
                .query(Long.class)
                .single();
        if (live >= MAX_PER_ACCOUNT) {
            throw new TooManyApiKeysException();
        }
        ApiKeyFormat.ApiKey key = ApiKeyFormat.generate();
        String[] scopeValues = scopes.stream().map(ApiScope::value).sorted().toArray(String[]::new);
        Instant now = clock.instant();
        jdbc.sql("insert into api_keys (id, user_id, workspace_id, name, secret_hash, scopes, created_at)"
                        + " values (?, ?, ?, ?, ?, ?, ?)")
                .params(key.id(), userId, workspaceId, name, ApiKeyFormat.hash(key.secret()), scopeValues, Sql.at(now))
                .update();
        return new CreatedKey(
                key.value(),
                new ApiKeyView(key.id(), name, key.displayPrefix(), List.of(scopeValues), now, null, null));
    }

    /** Every key of the account, in all its workspaces (its data export). */
    public List<ApiKeyView> list(long userId) {
        return list(userId, null);
    }

    /** The account's keys in one workspace (null: all), live ones first. */
    public List<ApiKeyView> list(long userId, @Nullable Long workspaceId) {
        return jdbc.sql("select k.id, k.name, k.scopes, k.created_at, u.last_used_at, k.revoked_at from api_keys k"
                        + " left join api_key_usage u on u.key_id = k.id"
                        + " where k.user_id = ? and (?::bigint is null or k.workspace_id = ?)"
                        + " order by k.revoked_at is not null, k.created_at desc")
                .params(userId, workspaceId, workspaceId)
                .query((rs, row) -> new ApiKeyView(
                        rs.getString("id"),
                        rs.getString("name"),
                        ApiKeyFormat.PREFIX + rs.getString("id") + "_…",
                        List.of((String[]) rs.getArray("scopes").getArray()),
                        rs.getTimestamp("created_at").toInstant(),
                        instant(rs.getTimestamp("last_used_at")),
                        instant(rs.getTimestamp("revoked_at"))))
                .list();
    }

    /** Revokes one of the account's keys in a workspace; true if it was live. */
    @Transactional
    public boolean revoke(long userId, long workspaceId, String keyId) {
        Instant now = clock.instant();
        boolean revoked =
                jdbc.sql("update api_keys set revoked_at = ? where id = ? and user_id = ? and workspace_id = ?"
                                        + " and revoked_at is null")
                                .params(Sql.at(now), keyId, userId, workspaceId)
                                .update()
                        > 0;
        if (revoked) {
            outbox.append(Events.API_KEY_REVOKED, new ApiKeyRevoked(keyId, userId, now));
        }
        return revoked;
    }

    /**
     * Revokes the live keys in a workspace, of one member or (null) of all, each published as
     * {@code api_key.revoked} so hot-path drops it at once.
     */
    @Transactional
    public int revokeAllIn(long workspaceId, @Nullable Long userId) {
        Instant now = clock.instant();
        List<ApiKeyRevoked> revoked = jdbc.sql("update api_keys set revoked_at = ? where workspace_id = ?"
                        + " and revoked_at is null and (?::bigint is null or user_id = ?) returning id, user_id")
                .params(Sql.at(now), workspaceId, userId, userId)
                .query((rs, row) -> new ApiKeyRevoked(rs.getString("id"), rs.getLong("user_id"), now))
                .list();
        revoked.forEach(key -> outbox.append(Events.API_KEY_REVOKED, key));
        return revoked.size();
    }

    @Transactional
    public int revokeAllFor(long userId) {
        return jdbc.sql("update api_keys set revoked_at = ? where user_id = ? and revoked_at is null")
                .params(Sql.at(clock.instant()), userId)
                .update();
    }

    private static @Nullable Instant instant(java.sql.@Nullable Timestamp timestamp) {
        return timestamp == null ? null : timestamp.toInstant();
    }
}
