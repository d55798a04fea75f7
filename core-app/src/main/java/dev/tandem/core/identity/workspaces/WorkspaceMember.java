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
 * A membership as the staff admin shows it (table {@code workspace_members}). Read-only there: a
 * change of role or a removal goes through the members page, whose rules keep an owner.
 */
@Entity
@Table(name = "workspace_members")
class WorkspaceMember {

    @Id
    private @Nullable Long id;

    @ManyToOne(fetch = FetchType.LAZY, optional = false)
    @JoinColumn(name = "workspace_id", nullable = false, updatable = false)
    private @Nullable Workspace workspace;

    @ManyToOne(fetch = FetchType.LAZY, optional = false)
    @JoinColumn(name = "user_id", nullable = false, updatable = false)
    private @Nullable User user;

    @Column(nullable = false, updatable = false)
    private String role = "";

    @Column(name = "joined_at", nullable = false, updatable = false)
    private @Nullable Instant joinedAt;

    protected WorkspaceMember() {}
}
