package dev.tandem.core.platform;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import org.jspecify.annotations.Nullable;

/**
 * Instants for SQL parameters: the PostgreSQL driver binds {@link OffsetDateTime} to
 * {@code timestamptz} but has no mapping for {@link Instant}.
 */
public final class Sql {

    private Sql() {}

    public static @Nullable OffsetDateTime at(@Nullable Instant instant) {
        return instant == null ? null : instant.atOffset(ZoneOffset.UTC);
    }
}
