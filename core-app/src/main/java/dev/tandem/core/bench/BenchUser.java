package dev.tandem.core.bench;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import org.hibernate.annotations.Immutable;

/** A user's public fields, read-only (the bench reads; identity owns the account). */
@Entity(name = "BenchUser")
@Table(name = "users")
@Immutable
class BenchUser {

    @Id
    private long id;

    @Column(name = "display_name")
    private String displayName = "";

    @Column(name = "created_at")
    private Instant createdAt = Instant.EPOCH;

    @Column(name = "status")
    private String status = "";

    protected BenchUser() {}

    long id() {
        return id;
    }

    String displayName() {
        return displayName;
    }

    Instant createdAt() {
        return createdAt;
    }

    String status() {
        return status;
    }
}
