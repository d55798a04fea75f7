package dev.tandem.hotpath.auth;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.tandem.schema.auth.ApiKeyFormat;
import dev.tandem.schema.workspaces.WorkspaceRole;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;

/**
 * API keys as stored by core-app ({@code api_keys}, read only here), with the workspace each belongs
 * to and its account's role there, cached by key id. The cache
 * holds what the database said about existing keys, live or not; {@link #forget} drops entries when core-app announces
 * a revocation or an account change, and entries expire after a minute as a backstop.
 */
@ApplicationScoped
public class ApiKeys {

    /** A key as stored, with its account's role and status at the time it was read. */
    record StoredKey(
            String id,
            long userId,
            byte[] secretHash,
            Set<String> scopes,
            @Nullable Instant expiresAt,
            @Nullable Instant revokedAt,
            String role,
            String userStatus,
            long workspaceId,
            @Nullable WorkspaceRole workspaceRole) {

        /** Live, of an active account that is still a member of the key's open workspace. */
        boolean usableAt(Instant now) {
            return revokedAt == null
                    && (expiresAt == null || now.isBefore(expiresAt))
                    && "ACTIVE".equals(userStatus)
                    && workspaceRole != null;
        }
    }

    private static final String FIND = """
            select k.id, k.user_id, k.secret_hash, k.scopes, k.expires_at, k.revoked_at, u.role, u.status,
                   k.workspace_id, m.role as workspace_role
            from api_keys k join users u on u.id = k.user_id
            left join workspaces w on w.id = k.workspace_id and w.deleted_at is null
            left join workspace_members m on m.workspace_id = w.id and m.user_id = k.user_id
            where k.id = $1""";

    private final Pool pool;
    private final Cache<String, StoredKey> cache;
    private final AtomicLong generation = new AtomicLong();

    ApiKeys(Pool pool) {
        this.pool = pool;
        this.cache = Caffeine.newBuilder()
                .maximumSize(100_000)
                .expireAfterWrite(Duration.ofMinutes(1))
                .build();
    }

    /**
     * The stored key with this id, if any: from the cache, or read on the caller's own Vert.x
     * context. Only keys that exist are cached (ids that match nothing would let anyone fill the
     * cache). A read that started before an invalidation is not cached: the generation, bumped by
     * every invalidation, tells.
     */
    Uni<Optional<StoredKey>> find(ApiKeyFormat.ApiKey key) {
        StoredKey cached = cache.getIfPresent(key.id());
        if (cached != null) {
            return Uni.createFrom().item(Optional.of(cached));
        }
        long generationAtStart = generation.get();
        return load(key.id())
                .invoke(stored -> stored.ifPresent(found -> {
                    // Put first, then look: an invalidation between a check and a put would be lost.
                    cache.put(found.id(), found);
                    if (generation.get() != generationAtStart) {
                        cache.asMap().remove(found.id(), found);
                    }
                }));
    }

    /** Drops one key, after core-app revoked it. */
    public void forget(String keyId) {
        generation.incrementAndGet();
        cache.invalidate(keyId);
    }

    /** Drops every key of an account, after core-app changed or closed it. */
    public void forgetUser(long userId) {
        generation.incrementAndGet();
        cache.asMap().values().removeIf(stored -> stored.userId() == userId);
    }

    private Uni<Optional<StoredKey>> load(String id) {
        return pool.preparedQuery(FIND)
                .execute(Tuple.of(id))
                .map(rows -> rows.size() == 0
                        ? Optional.empty()
                        : Optional.of(read(rows.iterator().next())));
    }

    private static StoredKey read(Row row) {
        return new StoredKey(
                row.getString("id"),
                row.getLong("user_id"),
                row.getBuffer("secret_hash").getBytes(),
                Set.of(row.getArrayOfStrings("scopes")),
                instant(row.getOffsetDateTime("expires_at")),
                instant(row.getOffsetDateTime("revoked_at")),
                row.getString("role"),
                row.getString("status"),
                row.getLong("workspace_id"),
                row.getString("workspace_role") == null
                        ? null
                        : WorkspaceRole.parse(row.getString("workspace_role")).orElse(null));
    }

    private static @Nullable Instant instant(@Nullable OffsetDateTime time) {
        return time == null ? null : time.toInstant();
    }
}
