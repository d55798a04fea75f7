package dev.tandem.schema.events;

import java.time.Instant;
import java.util.Objects;

/**
 * {@code workspace.deleted} v1: an owner closed the workspace. core-app has ended its memberships,
 * invitations and API keys; the owners of its other data (hot-path-service's content, files,
 * inference jobs and usage) erase theirs.
 */
public record WorkspaceDeleted(long workspaceId, Instant deletedAt) {

    public WorkspaceDeleted {
        Objects.requireNonNull(deletedAt, "deletedAt");
    }
}
