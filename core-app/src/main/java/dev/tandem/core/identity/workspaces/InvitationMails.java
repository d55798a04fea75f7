package dev.tandem.core.identity.workspaces;

import dev.tandem.core.mail.Mailer;
import dev.tandem.core.platform.TandemProperties;
import java.util.Map;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.modulith.events.ApplicationModuleListener;
import org.springframework.stereotype.Component;

/**
 * Sends an invitation's mail after the inviting transaction committed, with a link made now: the
 * token exists only in the mail. A failure (SMTP down) leaves the publication incomplete and it is
 * retried (platform.IncompletePublicationsRetry); each retry makes a new link, so only the mail
 * that arrives works.
 */
@Component
class InvitationMails {

    private final Invitations invitations;
    private final JdbcClient jdbc;
    private final Mailer mailer;
    private final String publicUrl;

    InvitationMails(Invitations invitations, JdbcClient jdbc, Mailer mailer, TandemProperties tandem) {
        this.invitations = invitations;
        this.jdbc = jdbc;
        this.mailer = mailer;
        this.publicUrl = tandem.publicUrl().toString().replaceAll("/+$", "");
    }

    @ApplicationModuleListener
    void on(Invitations.InvitationRequested event) {
        var invitation = jdbc.sql("select i.email, i.role, w.name, coalesce(u.display_name, 'A member') from"
                        + " workspace_invitations i join workspaces w on w.id = i.workspace_id"
                        + " left join users u on u.id = i.invited_by where i.id = ?")
                .param(event.invitationId())
                .query((rs, n) -> new String[] {rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4)})
                .optional();
        if (invitation.isEmpty()) {
            return;
        }
        String[] row = invitation.get();
        invitations
                .newLink(event.invitationId())
                .ifPresent(token -> mailer.send(
                        row[0],
                        "workspace-invitation",
                        Map.of(
                                "workspace", row[2],
                                "role", row[1],
                                "inviter", row[3],
                                "link", publicUrl + "/invitations/" + token,
                                "days", Invitations.LIFETIME.toDays())));
    }
}
