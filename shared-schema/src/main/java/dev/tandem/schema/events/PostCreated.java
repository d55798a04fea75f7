package dev.tandem.schema.events;

import java.time.Instant;
import java.util.Objects;

/** {@code post.created} v1: a post was published. Producer: hot-path-service. */
public record PostCreated(long postId, long authorId, String title, Instant createdAt) {

    public PostCreated {
        Objects.requireNonNull(title, "title");
        Objects.requireNonNull(createdAt, "createdAt");
    }
}
