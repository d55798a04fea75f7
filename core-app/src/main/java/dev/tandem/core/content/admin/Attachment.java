package dev.tandem.core.content.admin;

import dev.tandem.core.identity.account.User;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.FetchType;
import jakarta.persistence.Id;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.ManyToOne;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * The admin's mapping of hot-path's {@code attachments}: view only, because the bytes live in
 * hot-path's file storage and a row removed here would leave them there.
 */
@Entity
@Table(name = "attachments")
class Attachment {

    @Id
    private @Nullable UUID id;

    @ManyToOne(fetch = FetchType.LAZY, optional = false)
    @JoinColumn(name = "owner_id", nullable = false)
    private @Nullable User owner;

    @ManyToOne(fetch = FetchType.LAZY)
    @JoinColumn(name = "post_id")
    private @Nullable Post post;

    @Column(name = "file_name", nullable = false)
    private String fileName = "";

    @Column(name = "content_type", nullable = false)
    private String contentType = "";

    @Column(name = "size_bytes", nullable = false)
    private long sizeBytes;

    @Column(nullable = false)
    private String sha256 = "";

    @Column(name = "storage_key", nullable = false)
    private String storageKey = "";

    @Column(name = "created_at", nullable = false)
    private @Nullable Instant createdAt;

    protected Attachment() {}
}
