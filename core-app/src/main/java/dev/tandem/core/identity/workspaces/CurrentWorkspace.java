package dev.tandem.core.identity.workspaces;

import dev.tandem.core.identity.workspaces.Workspaces.Membership;
import dev.tandem.schema.workspaces.WorkspaceAction;
import jakarta.servlet.http.HttpSession;
import java.util.Optional;
import org.springframework.stereotype.Component;

/**
 * The workspace a browser session acts in, kept in the session (so two tabs of one session agree)
 * and checked against the membership on every read: an account removed from a workspace falls
 * back at once to the one it used last, or its personal one.
 */
@Component
public class CurrentWorkspace {

    static final String ATTRIBUTE = "tandem.workspace";

    private final Workspaces workspaces;

    CurrentWorkspace(Workspaces workspaces) {
        this.workspaces = workspaces;
    }

    /** The session's workspace; empty only for an account in no workspace at all. */
    public Optional<Membership> of(long userId, HttpSession session) {
        if (session.getAttribute(ATTRIBUTE) instanceof Long id) {
            var membership = workspaces.membership(userId, id);
            if (membership.isPresent()) {
                return membership;
            }
        }
        Optional<Membership> fallback = workspaces.defaultFor(userId);
        fallback.ifPresent(workspace -> session.setAttribute(ATTRIBUTE, workspace.id()));
        return fallback;
    }

    /**
     * The workspace a page at {@code slug} opens, if the account's role allows {@code action}
     * (else 404), made the session's workspace.
     */
    public Membership open(long userId, String slug, WorkspaceAction action, HttpSession session) {
        Membership workspace = workspaces.require(userId, slug, action);
        switchTo(userId, workspace, session);
        return workspace;
    }

    /** Makes {@code membership} the session's workspace and the account's default for its next sign-in. */
    public void switchTo(long userId, Membership membership, HttpSession session) {
        if (!Long.valueOf(membership.id()).equals(session.getAttribute(ATTRIBUTE))) {
            session.setAttribute(ATTRIBUTE, membership.id());
        }
        workspaces.markUsed(userId, membership.id());
    }
}
