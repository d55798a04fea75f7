package dev.tandem.core.identity.apikeys;

import dev.tandem.core.identity.account.User;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.FetchType;
import jakarta.persistence.Id;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.ManyToOne;
import jakarta.persistence.Table;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;
import java.time.Instant;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;
import org.jspecify.annotations.Nullable;

/**
 * An API key as the admin shows it (table {@code api_keys}; {@link ApiKeys} does the work). The
 * secret's hash is not mapped: nothing here can read or change it.
 */
@Entity
@Table(name = "api_keys")
class ApiKey {

    @Id
    private String id = "";

    @ManyToOne(fetch = FetchType.LAZY, optional = false)
    @JoinColumn(name = "user_id", nullable = false, updatable = false)
    private @Nullable User user;

    @NotBlank
    @Size(max = 80)
    @Column(nullable = false)
    private String name = "";

    @JdbcTypeCode(SqlTypes.ARRAY)
    @Column(nullable = false, updatable = false)
    private String[] scopes = {};

    @Column(name = "created_at", nullable = false, updatable = false)
    private @Nullable Instant createdAt;

    @Column(name = "expires_at")
    private @Nullable Instant expiresAt;

    @Column(name = "revoked_at")
    private @Nullable Instant revokedAt;

    protected ApiKey() {}

    String id() {
        return id;
    }

    long userId() {
        return java.util.Objects.requireNonNull(user).id();
    }

    boolean revoked() {
        return revokedAt != null;
    }

    void revoke(Instant now) {
        if (revokedAt == null) {
            revokedAt = now;
        }
    }
}
