package dev.tandem.schema.events;

import java.time.Instant;
import java.util.Objects;

/**
 * {@code admin.record_changed} v1: staff changed a record through core-app's admin. Tells owners
 * and caches to look again; carries no field values (readers read the row). Producer: core-app,
 * in the transaction of the change.
 *
 * @param table the table of the record, e.g. {@code users}, {@code posts}
 * @param recordId the record's primary key, as text (ids are numbers or UUIDs)
 * @param action {@code added}, {@code changed} or {@code deleted}
 * @param changedBy the staff account that made the change
 */
public record AdminRecordChanged(String table, String recordId, String action, long changedBy, Instant changedAt) {

    public AdminRecordChanged {
        Objects.requireNonNull(table, "table");
        Objects.requireNonNull(recordId, "recordId");
        Objects.requireNonNull(action, "action");
        Objects.requireNonNull(changedAt, "changedAt");
    }
}
