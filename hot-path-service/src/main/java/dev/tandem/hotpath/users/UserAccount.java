package dev.tandem.hotpath.users;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import org.hibernate.annotations.Immutable;

/**
 * An account as hot-path-service may see it: a read-only view of core-app's {@code users} table
 * with the public columns only. hot-path never writes accounts.
 */
@Entity
@Table(name = "users")
@Immutable
class UserAccount {

    @Id
    Long id;

    @Column(name = "display_name", nullable = false, columnDefinition = "text")
    String displayName;

    @Column(nullable = false, columnDefinition = "text")
    String status;

    @Column(name = "created_at", nullable = false)
    Instant createdAt;

    /** Deleted and disabled accounts have no public profile. */
    boolean isVisible() {
        return "ACTIVE".equals(status) || "PENDING".equals(status);
    }
}
