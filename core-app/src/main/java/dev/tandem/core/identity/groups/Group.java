package dev.tandem.core.identity.groups;

import jakarta.persistence.CollectionTable;
import jakarta.persistence.Column;
import jakarta.persistence.ElementCollection;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.Table;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.Set;
import org.hibernate.annotations.CreationTimestamp;
import org.jspecify.annotations.Nullable;

/**
 * A group of staff permissions (tables {@code groups} and {@code group_permissions}); members get
 * each {@code <entity>.<view|add|change|delete>} of their groups when they sign in. Edited in the
 * admin.
 */
@Entity
@Table(name = "groups")
public class Group {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    private @Nullable Long id;

    @NotBlank
    @Size(max = 80)
    @Column(nullable = false)
    private String name = "";

    @Size(max = 1000)
    @Column(nullable = false)
    private String description = "";

    @CreationTimestamp
    @Column(name = "created_at", nullable = false, updatable = false)
    private @Nullable Instant createdAt;

    @ElementCollection
    @CollectionTable(name = "group_permissions", joinColumns = @JoinColumn(name = "group_id"))
    @Column(name = "permission")
    private Set<String> permissions = new LinkedHashSet<>();

    protected Group() {}

    public Group(String name, String description, Set<String> permissions) {
        this.name = name;
        this.description = description;
        this.permissions = new LinkedHashSet<>(permissions);
    }

    public @Nullable Long id() {
        return id;
    }

    public String name() {
        return name;
    }

    public Set<String> permissions() {
        return Set.copyOf(permissions);
    }
}
