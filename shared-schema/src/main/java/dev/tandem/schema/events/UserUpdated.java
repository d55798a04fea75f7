package dev.tandem.schema.events;

import java.time.Instant;
import java.util.Objects;

/**
 * {@code user.updated} v1: an account's public facts changed (display name, or status such as
 * verified or disabled). Carries no email or other private data.
 */
public record UserUpdated(long userId, String displayName, String status, Instant updatedAt) {

    public UserUpdated {
        Objects.requireNonNull(displayName, "displayName");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(updatedAt, "updatedAt");
    }
}
