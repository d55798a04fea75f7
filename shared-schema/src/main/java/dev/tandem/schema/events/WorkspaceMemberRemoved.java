package dev.tandem.schema.events;

import java.time.Instant;
import java.util.Objects;

/**
 * {@code workspace.member_removed} v1: an account stopped being a member of a workspace (removed
 * by an admin, or it left). core-app has revoked the account's refresh tokens and API keys in that
 * workspace (each key also as {@code api_key.revoked}); services that cache memberships drop it.
 */
public record WorkspaceMemberRemoved(long workspaceId, long userId, Instant removedAt) {

    public WorkspaceMemberRemoved {
        Objects.requireNonNull(removedAt, "removedAt");
    }
}
