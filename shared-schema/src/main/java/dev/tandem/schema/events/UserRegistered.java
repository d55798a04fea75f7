package dev.tandem.schema.events;

import java.time.Instant;
import java.util.Objects;

/**
 * {@code user.registered} v1: an account was created. Carries no email or other private data:
 * consumers that need more read the users table.
 */
public record UserRegistered(long userId, String displayName, Instant registeredAt) {

    public UserRegistered {
        Objects.requireNonNull(displayName, "displayName");
        Objects.requireNonNull(registeredAt, "registeredAt");
    }
}
