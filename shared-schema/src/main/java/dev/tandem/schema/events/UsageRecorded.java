package dev.tandem.schema.events;

import java.time.LocalDate;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * {@code usage.recorded} v1: usage hot-path-service metered since its previous report, per account,
 * UTC day and metric (e.g. {@code api.calls}); quantities are increments, to be added. Producer:
 * hot-path-service, in the transaction that adds the same increments to its {@code usage_counters}.
 */
public record UsageRecorded(List<Entry> entries) {

    /** Maximum entries in one event; a larger flush is split. */
    public static final int MAX_ENTRIES = 500;

    public UsageRecorded {
        Objects.requireNonNull(entries, "entries");
        entries = List.copyOf(entries);
    }

    /**
     * One increment: {@code quantity} more of {@code metric} for {@code userId} in
     * {@code workspaceId} on {@code day} (a null workspace, only in events written before usage was
     * metered per workspace, means the account's personal workspace).
     */
    public record Entry(
            long userId,
            LocalDate day,
            String metric,
            long quantity,
            @Nullable Long workspaceId) {

        public Entry {
            Objects.requireNonNull(day, "day");
            Objects.requireNonNull(metric, "metric");
        }
    }
}
