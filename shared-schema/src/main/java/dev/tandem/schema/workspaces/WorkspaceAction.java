package dev.tandem.schema.workspaces;

import static dev.tandem.schema.workspaces.WorkspaceRole.ADMIN;
import static dev.tandem.schema.workspaces.WorkspaceRole.MEMBER;
import static dev.tandem.schema.workspaces.WorkspaceRole.OWNER;
import static dev.tandem.schema.workspaces.WorkspaceRole.VIEWER;

import java.util.EnumSet;
import java.util.Set;

/**
 * The roles → actions table: what each role may do in a workspace. The one copy: core-app checks
 * its pages and forms against it, hot-path-service its API routes. Add an action here, never a
 * role check elsewhere.
 *
 * <pre>
 * action               owner admin member viewer
 * VIEW                   x     x     x      x      read the workspace's content, members
 * WRITE_CONTENT          x     x     x             posts, comments, files, inference jobs
 * MODERATE_CONTENT       x     x                   edit or delete others' content
 * MANAGE_API_KEYS        x     x     x             one's own keys in this workspace
 * INVITE                 x     x                   invite, resend, revoke invitations
 * CHANGE_ROLES           x     x                   (an admin never grants or touches owner)
 * REMOVE_MEMBERS         x     x                   (an admin never removes an owner)
 * EDIT_SETTINGS          x     x                   name and slug
 * SEE_BILLING            x     x                   plan, invoices, usage
 * MANAGE_BILLING         x                         change plan, payment method
 * TRANSFER_OWNERSHIP     x
 * DELETE_WORKSPACE       x
 * </pre>
 */
public enum WorkspaceAction {
    VIEW(OWNER, ADMIN, MEMBER, VIEWER),
    WRITE_CONTENT(OWNER, ADMIN, MEMBER),
    MODERATE_CONTENT(OWNER, ADMIN),
    MANAGE_API_KEYS(OWNER, ADMIN, MEMBER),
    INVITE(OWNER, ADMIN),
    CHANGE_ROLES(OWNER, ADMIN),
    REMOVE_MEMBERS(OWNER, ADMIN),
    EDIT_SETTINGS(OWNER, ADMIN),
    SEE_BILLING(OWNER, ADMIN),
    MANAGE_BILLING(OWNER),
    TRANSFER_OWNERSHIP(OWNER),
    DELETE_WORKSPACE(OWNER);

    private final Set<WorkspaceRole> roles;

    WorkspaceAction(WorkspaceRole first, WorkspaceRole... rest) {
        this.roles = EnumSet.of(first, rest);
    }

    public boolean allows(WorkspaceRole role) {
        return roles.contains(role);
    }
}
