package dev.tandem.hotpath.auth;

import dev.tandem.schema.workspaces.WorkspaceAction;
import dev.tandem.schema.workspaces.WorkspaceRole;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.ws.rs.ForbiddenException;
import java.util.Locale;

/**
 * The account behind an authenticated request, the workspace it acts in and its role there. Every
 * read and write of the API is about {@link #workspaceId}: the stores put it in the query itself,
 * so another workspace's row is not found, exactly like a row that does not exist. What the role
 * may do is {@link WorkspaceAction}'s table, shared with core-app.
 */
public record Caller(long userId, long workspaceId, WorkspaceRole role, boolean staff) {

    /** Identity attribute: how the caller authenticated, {@code token} or {@code api-key}. */
    public static final String METHOD = "tandem.auth-method";

    /** Identity attribute: the scopes granted, as a {@code Set<String>}. */
    public static final String SCOPES = "tandem.scopes";

    /** Identity attribute: the workspace the request acts in, a {@code Long}. */
    public static final String WORKSPACE = "tandem.workspace";

    /** Identity attribute: the account's {@link WorkspaceRole} in {@link #WORKSPACE}. */
    public static final String WORKSPACE_ROLE = "tandem.workspace-role";

    /** The caller of an authenticated identity: its principal name is the account id. */
    public static Caller of(SecurityIdentity identity) {
        Long workspace = identity.getAttribute(WORKSPACE);
        WorkspaceRole role = identity.getAttribute(WORKSPACE_ROLE);
        if (workspace == null || role == null) {
            // Both authentication paths set them or refuse the request: a bug, not a client error.
            throw new IllegalStateException("an authenticated identity without a workspace");
        }
        return new Caller(
                Long.parseLong(identity.getPrincipal().getName()),
                workspace,
                role,
                identity.hasRole("STAFF") || identity.hasRole("ADMIN"));
    }

    /** Whether the role allows this action in the workspace. */
    public boolean may(WorkspaceAction action) {
        return role.may(action);
    }

    /** This caller, if its role allows the action; otherwise a 403. */
    public Caller require(WorkspaceAction action) {
        if (!may(action)) {
            throw new ForbiddenException(refusal(action));
        }
        return this;
    }

    /** Why the role may not do the action, for a 403's detail. */
    public String refusal(WorkspaceAction action) {
        return "A " + role.value() + " of this workspace may not do this ("
                + action.name().toLowerCase(Locale.ROOT) + ").";
    }

    /**
     * Whether this caller may change or delete what {@code authorId} wrote in the workspace: its
     * author, a role that moderates the workspace's content, or Tandem's staff.
     */
    public boolean mayModify(long authorId) {
        return userId == authorId || moderates();
    }

    /** Whether this caller sees and acts on everyone's content in the workspace (held posts included). */
    public boolean moderates() {
        return staff || role.may(WorkspaceAction.MODERATE_CONTENT);
    }
}
