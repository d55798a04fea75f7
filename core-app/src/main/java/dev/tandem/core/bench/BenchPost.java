package dev.tandem.core.bench;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.FetchType;
import jakarta.persistence.Id;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.ManyToOne;
import jakarta.persistence.Table;
import java.time.Instant;
import org.hibernate.annotations.Immutable;
import org.jspecify.annotations.Nullable;

/** A post and its author, read-only. */
@Entity(name = "BenchPost")
@Table(name = "posts")
@Immutable
class BenchPost {

    @Id
    private long id;

    @ManyToOne(fetch = FetchType.LAZY)
    @JoinColumn(name = "author_id")
    private BenchUser author;

    private String title = "";

    private String body = "";

    private String moderation = "";

    private @Nullable String language;

    private @Nullable Float sentiment;

    @Column(name = "created_at")
    private Instant createdAt = Instant.EPOCH;

    @Column(name = "updated_at")
    private Instant updatedAt = Instant.EPOCH;

    private long version;

    @Column(name = "workspace_id")
    private long workspaceId;

    @SuppressWarnings("NullAway.Init")
    protected BenchPost() {}

    long id() {
        return id;
    }

    BenchUser author() {
        return author;
    }

    String title() {
        return title;
    }

    String body() {
        return body;
    }

    Instant createdAt() {
        return createdAt;
    }

    Instant updatedAt() {
        return updatedAt;
    }

    long version() {
        return version;
    }

    String moderation() {
        return moderation;
    }

    @Nullable
    String language() {
        return language;
    }

    @Nullable
    Float sentiment() {
        return sentiment;
    }
}
