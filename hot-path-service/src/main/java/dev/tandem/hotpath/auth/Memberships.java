package dev.tandem.hotpath.auth;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.tandem.schema.workspaces.WorkspaceRole;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Who belongs to which open workspace ({@code workspace_members}, owned by core-app, read only
 * here), cached per (workspace, account). Only memberships that exist are cached: one that starts
 * later is read on its first use. {@link #forget} and {@link #forgetWorkspace} drop entries when
 * core-app announces a removal or a closed workspace ({@code workspace.member_removed},
 * {@code workspace.deleted}), so a removed member's access token stops working at once rather than
 * at its expiry; entries expire after a minute as a backstop. A role is read along, but the role an
 * access token acts with is the one in the token.
 */
@ApplicationScoped
public class Memberships {

    private record Key(long workspaceId, long userId) {}

    private static final String FIND = """
            select m.role from workspace_members m join workspaces w on w.id = m.workspace_id
            where m.workspace_id = $1 and m.user_id = $2 and w.deleted_at is null""";

    private final Pool pool;
    private final Cache<Key, WorkspaceRole> cache;
    private final AtomicLong generation = new AtomicLong();

    Memberships(Pool pool) {
        this.pool = pool;
        this.cache = Caffeine.newBuilder()
                .maximumSize(100_000)
                .expireAfterWrite(Duration.ofMinutes(1))
                .build();
    }

    /**
     * The account's role in the open workspace, or empty when it is no member (or the workspace is
     * closed). A read that started before an invalidation is not cached.
     */
    public Uni<Optional<WorkspaceRole>> roleOf(long workspaceId, long userId) {
        Key key = new Key(workspaceId, userId);
        WorkspaceRole cached = cache.getIfPresent(key);
        if (cached != null) {
            return Uni.createFrom().item(Optional.of(cached));
        }
        long generationAtStart = generation.get();
        return pool.preparedQuery(FIND)
                .execute(Tuple.of(workspaceId, userId))
                .map(rows -> rows.size() == 0
                        ? Optional.<WorkspaceRole>empty()
                        : WorkspaceRole.parse(rows.iterator().next().getString("role")))
                .invoke(found -> found.ifPresent(role -> {
                    // Put first, then look: an invalidation between a check and a put would be lost.
                    cache.put(key, role);
                    if (generation.get() != generationAtStart) {
                        cache.asMap().remove(key, role);
                    }
                }));
    }

    /** Drops one membership, after core-app removed the member. */
    public void forget(long workspaceId, long userId) {
        generation.incrementAndGet();
        cache.invalidate(new Key(workspaceId, userId));
    }

    /** Drops every membership of a workspace, after core-app closed it. */
    public void forgetWorkspace(long workspaceId) {
        generation.incrementAndGet();
        cache.asMap().keySet().removeIf(key -> key.workspaceId() == workspaceId);
    }

    /** Drops every membership of an account, after core-app changed or closed it. */
    public void forgetUser(long userId) {
        generation.incrementAndGet();
        cache.asMap().keySet().removeIf(key -> key.userId() == userId);
    }
}
