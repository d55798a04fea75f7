package dev.tandem.schema.events;

import java.time.Instant;
import java.util.Objects;

/**
 * {@code api_key.revoked} v1: an API key stopped working (revoked by its owner). Services that cache
 * keys drop it at once. Carries the key's id, never its secret.
 */
public record ApiKeyRevoked(String keyId, long userId, Instant revokedAt) {

    public ApiKeyRevoked {
        Objects.requireNonNull(keyId, "keyId");
        Objects.requireNonNull(revokedAt, "revokedAt");
    }
}
