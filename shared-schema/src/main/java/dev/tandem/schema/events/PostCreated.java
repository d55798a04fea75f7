package dev.tandem.schema.events;

import java.time.Instant;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * {@code post.created} v1: a post was published, in workspace {@code workspaceId} (null only in
 * events written before workspaces carried it). Producer: hot-path-service.
 */
public record PostCreated(
        long postId,
        long authorId,
        String title,
        Instant createdAt,
        @Nullable Long workspaceId) {

    public PostCreated {
        Objects.requireNonNull(title, "title");
        Objects.requireNonNull(createdAt, "createdAt");
    }
}
