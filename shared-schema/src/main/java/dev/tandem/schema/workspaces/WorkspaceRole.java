package dev.tandem.schema.workspaces;

import java.util.Locale;
import java.util.Optional;

/**
 * A member's role in a workspace, from most to least powerful. Stored lower-case in
 * {@code workspace_members.role} and carried in access tokens ({@code AccessTokenClaims.WORKSPACE_ROLE}).
 */
public enum WorkspaceRole {
    OWNER,
    ADMIN,
    MEMBER,
    VIEWER;

    /** The stored and claimed form: {@code owner}, {@code admin}, {@code member}, {@code viewer}. */
    public String value() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** What this role may do; see {@link WorkspaceAction} for the whole table. */
    public boolean may(WorkspaceAction action) {
        return action.allows(this);
    }

    /** True when this role ranks above {@code other} (an owner above an admin, ...). */
    public boolean outranks(WorkspaceRole other) {
        return ordinal() < other.ordinal();
    }

    public static Optional<WorkspaceRole> parse(String value) {
        for (WorkspaceRole role : values()) {
            if (role.value().equals(value)) {
                return Optional.of(role);
            }
        }
        return Optional.empty();
    }
}
