package dev.tandem.core.billing.admin;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;
import org.jspecify.annotations.Nullable;

/**
 * A payment provider's webhook event as received (table {@code billing_webhook_events}), read-only:
 * only verified events are kept (the signature's time is {@code signedAt}), with the payload and the
 * effect applied.
 */
@Entity
@Table(name = "billing_webhook_events")
class WebhookEvent {

    @Id
    private @Nullable Long id;

    @Column(nullable = false, updatable = false)
    private String provider = "";

    @Column(name = "event_id", nullable = false, updatable = false)
    private String eventId = "";

    @Column(nullable = false, updatable = false)
    private String type = "";

    @Column(name = "object_ref", updatable = false)
    private @Nullable String objectRef;

    @Column(name = "created_at", nullable = false, updatable = false)
    private @Nullable Instant createdAt;

    @Column(name = "signed_at", nullable = false, updatable = false)
    private @Nullable Instant signedAt;

    @Column(name = "received_at", nullable = false, updatable = false)
    private @Nullable Instant receivedAt;

    @JdbcTypeCode(SqlTypes.JSON)
    @Column(nullable = false, updatable = false, columnDefinition = "jsonb")
    private String payload = "";

    @Column(name = "processed_at", updatable = false)
    private @Nullable Instant processedAt;

    @Column(updatable = false)
    private @Nullable String effect;

    @Column(nullable = false, updatable = false)
    private int attempts;

    @Column(name = "last_error", updatable = false)
    private @Nullable String lastError;

    protected WebhookEvent() {}

    String signature() {
        return "verified (signed at " + signedAt + ")";
    }

    @Override
    public String toString() {
        return type + " " + eventId;
    }
}
