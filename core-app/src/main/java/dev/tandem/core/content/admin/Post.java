package dev.tandem.core.content.admin;

import dev.tandem.core.identity.account.User;
import jakarta.persistence.Column;
import jakarta.persistence.Convert;
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
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.time.Instant;
import org.hibernate.annotations.CreationTimestamp;
import org.hibernate.annotations.UpdateTimestamp;
import org.jspecify.annotations.Nullable;

/**
 * The admin's read/write mapping of hot-path's {@code posts} (the one exception to "only the owner
 * writes", as in the architecture): staff edits bump {@code version}, so API clients' ETags change,
 * and are announced as {@code admin.record_changed}.
 */
@Entity
@Table(name = "posts")
class Post {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    private @Nullable Long id;

    @NotNull
    @ManyToOne(fetch = FetchType.LAZY, optional = false)
    @JoinColumn(name = "author_id", nullable = false)
    private @Nullable User author;

    @NotBlank
    @Size(max = 200)
    @Column(nullable = false)
    private String title = "";

    @Size(max = 40_000)
    @Column(nullable = false)
    private String body = "";

    @Convert(converter = Moderation.Column.class)
    @Column(nullable = false)
    private Moderation moderation = Moderation.VISIBLE;

    @Column(updatable = false, insertable = false)
    private @Nullable String language;

    @Column(updatable = false, insertable = false)
    private @Nullable Float sentiment;

    @Column(updatable = false, insertable = false)
    private @Nullable Float spam;

    @Column(name = "moderated_at")
    private @Nullable Instant moderatedAt;

    @CreationTimestamp
    @Column(name = "created_at", nullable = false, updatable = false)
    private @Nullable Instant createdAt;

    @UpdateTimestamp
    @Column(name = "updated_at", nullable = false)
    private @Nullable Instant updatedAt;

    @Version
    private long version;

    protected Post() {}

    /** "42 words, 260 characters": the body's length, for the admin. */
    String length() {
        String text = body.strip();
        int words = text.isEmpty() ? 0 : text.split("\\s+").length;
        return words + " words, " + body.length() + " characters";
    }

    void moderate(Moderation state, Instant now) {
        if (moderation != state) {
            moderation = state;
            moderatedAt = now;
        }
    }
}
