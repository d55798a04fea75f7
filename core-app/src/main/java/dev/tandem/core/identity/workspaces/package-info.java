/**
 * Workspaces, the tenant: members and their roles, invitations by mail, the current workspace of a
 * browser session, and the pages that manage them. Other modules read through {@link
 * dev.tandem.core.identity.workspaces.Workspaces} and {@link
 * dev.tandem.core.identity.workspaces.CurrentWorkspace}, and change through {@link
 * dev.tandem.core.identity.workspaces.WorkspaceService}.
 */
@NullMarked
@NamedInterface("workspaces")
package dev.tandem.core.identity.workspaces;

import org.jspecify.annotations.NullMarked;
import org.springframework.modulith.NamedInterface;
