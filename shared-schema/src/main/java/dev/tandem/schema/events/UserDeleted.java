package dev.tandem.schema.events;

import java.time.Instant;
import java.util.Objects;

/**
 * {@code user.deleted} v1: the owner closed the account. core-app has erased its personal data;
 * the owners of other data about the user (hot-path-service's content) remove or anonymise theirs.
 */
public record UserDeleted(long userId, Instant deletedAt) {

    public UserDeleted {
        Objects.requireNonNull(deletedAt, "deletedAt");
    }
}
