package dev.tandem.schema.events;

import java.time.Instant;
import java.util.Objects;

/**
 * {@code comment.created} v1: a comment was posted. Carries the post's author so consumers can
 * tell them ("new comment on your post") without reading hot-path's tables. Producer:
 * hot-path-service.
 */
public record CommentCreated(long commentId, long postId, long postAuthorId, long authorId, Instant createdAt) {

    public CommentCreated {
        Objects.requireNonNull(createdAt, "createdAt");
    }
}
