package dev.tandem.core.identity.workspaces;

import dev.tandem.core.identity.account.User;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.FetchType;
import jakarta.persistence.Id;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.ManyToOne;
import jakarta.persistence.Table;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * An invitation as the staff admin shows it (table {@code workspace_invitations}); the token's
 * hash is not mapped. Staff may revoke open ones; nothing else changes here.
 */
@Entity
@Table(name = "workspace_invitations")
class WorkspaceInvitation {

    @Id
    private @Nullable Long id;

    @ManyToOne(fetch = FetchType.LAZY, optional = false)
    @JoinColumn(name = "workspace_id", nullable = false, updatable = false)
    private @Nullable Workspace workspace;

    @Column(nullable = false, updatable = false)
    private String email = "";

    @Column(nullable = false, updatable = false)
    private String role = "";

    @ManyToOne(fetch = FetchType.LAZY)
    @JoinColumn(name = "invited_by", updatable = false)
    private @Nullable User invitedBy;

    @Column(name = "sent_at", nullable = false, updatable = false)
    private @Nullable Instant sentAt;

    @Column(name = "expires_at", nullable = false, updatable = false)
    private @Nullable Instant expiresAt;

    @Column(name = "accepted_at", updatable = false)
    private @Nullable Instant acceptedAt;

    @ManyToOne(fetch = FetchType.LAZY)
    @JoinColumn(name = "accepted_by", updatable = false)
    private @Nullable User acceptedBy;

    @Column(name = "revoked_at")
    private @Nullable Instant revokedAt;

    protected WorkspaceInvitation() {}

    /** Revokes it if it is still open; true when it was. */
    boolean revoke(Instant now) {
        if (acceptedAt != null || revokedAt != null) {
            return false;
        }
        revokedAt = now;
        return true;
    }
}
