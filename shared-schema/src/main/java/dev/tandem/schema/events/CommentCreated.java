package dev.tandem.schema.events;

import java.time.Instant;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * {@code comment.created} v1: a comment was posted. Carries the post's author so consumers can
 * tell them ("new comment on your post") without reading hot-path's tables, and the workspace
 * (null only in events written before workspaces carried it). Producer: hot-path-service.
 */
public record CommentCreated(
        long commentId,
        long postId,
        long postAuthorId,
        long authorId,
        Instant createdAt,
        @Nullable Long workspaceId) {

    public CommentCreated {
        Objects.requireNonNull(createdAt, "createdAt");
    }
}
