package dev.tandem.core.identity.workspaces;

import dev.tandem.core.admin.AdminAction;
import dev.tandem.core.admin.ModelAdmin;
import dev.tandem.core.admin.ModelAdmin.Operation;
import java.time.Clock;
import java.time.Instant;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Workspaces, their members and invitations in the staff admin, with the history every admin
 * change gets. Staff correct names and addresses and revoke invitations; memberships are shown,
 * not edited (the members page's rules keep every workspace an owner). Closing a workspace is its
 * owners' act; the admin's delete is the hard delete every entity has (deleting an account, too,
 * takes its personal workspace), and the cascade preview says what goes with it.
 */
@Configuration(proxyBeanMethods = false)
class WorkspaceAdminRegistration {

    @Bean
    ModelAdmin<Workspace> workspaceAdmin() {
        return ModelAdmin.of(Workspace.class)
                .list("name", "slug", "personalFor", "createdAt", "deletedAt")
                .search("name", "slug")
                .filters("deletedAt")
                .ordering("-createdAt")
                .readOnly("personalFor", "createdAt", "deletedAt")
                .inline(WorkspaceMember.class, "workspace")
                .only(Operation.VIEW, Operation.CHANGE, Operation.DELETE)
                .build();
    }

    @Bean
    ModelAdmin<WorkspaceMember> workspaceMemberAdmin() {
        return ModelAdmin.of(WorkspaceMember.class)
                .label("Workspace members")
                .list("workspace", "user", "role", "joinedAt")
                .filters("role", "workspace", "user")
                .ordering("-joinedAt")
                .only(Operation.VIEW, Operation.DELETE)
                .build();
    }

    @Bean
    ModelAdmin<WorkspaceInvitation> workspaceInvitationAdmin(Clock clock) {
        return ModelAdmin.of(WorkspaceInvitation.class)
                .label("Workspace invitations")
                .display("email")
                .list("email", "workspace", "role", "invitedBy", "sentAt", "expiresAt", "acceptedAt", "revokedAt")
                .search("email")
                .filters("role", "workspace", "acceptedAt", "revokedAt")
                .ordering("-sentAt")
                .readOnly("revokedAt")
                .only(Operation.VIEW, Operation.CHANGE)
                .action(new AdminAction<>(
                        "revoke",
                        "Revoke selected invitations",
                        "Their links stop working. Accepted or revoked ones are skipped.",
                        Operation.CHANGE,
                        invitations -> {
                            Instant now = clock.instant();
                            long revoked = invitations.stream()
                                    .filter(invitation -> invitation.revoke(now))
                                    .count();
                            return "Revoked " + revoked + " invitations.";
                        }))
                .build();
    }
}
