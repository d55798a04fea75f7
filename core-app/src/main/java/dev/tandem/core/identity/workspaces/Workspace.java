package dev.tandem.core.identity.workspaces;

import dev.tandem.core.identity.account.User;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.FetchType;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.ManyToOne;
import jakarta.persistence.Table;
import jakarta.persistence.Version;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * A workspace as the staff admin shows it (table {@code workspaces}; {@link Workspaces} does the
 * work). Staff may correct a name or an address; closing one is its owners' act, through the bus.
 */
@Entity
@Table(name = "workspaces")
class Workspace {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    private @Nullable Long id;

    @NotBlank
    @Size(max = 80)
    @Column(nullable = false)
    private String name = "";

    @Pattern(regexp = Slugs.REGEX, message = "3–40 lower-case letters, digits and hyphens")
    @Column(nullable = false)
    private String slug = "";

    @ManyToOne(fetch = FetchType.LAZY)
    @JoinColumn(name = "personal_for", updatable = false)
    private @Nullable User personalFor;

    @Column(name = "created_at", nullable = false, updatable = false)
    private @Nullable Instant createdAt;

    @Column(name = "deleted_at", updatable = false)
    private @Nullable Instant deletedAt;

    @Version
    private long version;

    protected Workspace() {}
}
