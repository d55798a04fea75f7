package dev.tandem.core.admin;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;
import org.jspecify.annotations.Nullable;

/** A row of {@code audit_log}, so the history itself can be searched and filtered in the admin (view only). */
@Entity
@Table(name = "audit_log")
class AuditEntry {

    @Id
    private @Nullable Long id;

    @Column(name = "occurred_at", nullable = false)
    private @Nullable Instant occurredAt;

    @Column(name = "actor_email", nullable = false)
    private String actorEmail = "";

    @Column(name = "actor_id")
    private @Nullable Long actorId;

    @Column(nullable = false)
    private String action = "";

    @Column(nullable = false)
    private String entity = "";

    @Column(name = "object_id", nullable = false)
    private String objectId = "";

    @Column(name = "object_repr", nullable = false)
    private String objectRepr = "";

    @JdbcTypeCode(SqlTypes.JSON)
    @Column(nullable = false)
    private String changes = "{}";

    @Column(nullable = false)
    private String note = "";

    protected AuditEntry() {}
}
