package dev.tandem.core.identity.workspaces;

import dev.tandem.core.platform.Sql;
import dev.tandem.schema.workspaces.WorkspaceAction;
import dev.tandem.schema.workspaces.WorkspaceRole;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Invitations to a workspace by mail. The link's token is made when the mail is sent (after the
 * commit, see {@link InvitationMails}), so it is never stored but as its SHA-256; resending makes
 * a new one and the old link stops working. A link is single-use, expires after {@link #LIFETIME},
 * and only the account with the invited address can accept it. A workspace sends at most
 * {@link #PER_HOUR} invitations (new or resent) an hour.
 */
@Service
public class Invitations {

    public static final Duration LIFETIME = Duration.ofDays(7);
    public static final int PER_HOUR = 20;

    private static final Pattern EMAIL = Pattern.compile("^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$");
    private static final SecureRandom RANDOM = new SecureRandom();

    /** An invitation to an open workspace, with the names its pages show. */
    private static final String INVITED = "select i.id, i.workspace_id, w.name, i.email, i.role, i.expires_at,"
            + " i.accepted_at, i.revoked_at, coalesce(u.display_name, 'A member') as inviter"
            + " from workspace_invitations i join workspaces w on w.id = i.workspace_id and w.deleted_at is null"
            + " left join users u on u.id = i.invited_by";

    public enum State {
        PENDING,
        ACCEPTED,
        EXPIRED,
        REVOKED
    }

    /** An invitation as the members page lists it. */
    public record Invitation(
            long id,
            String email,
            WorkspaceRole role,
            State state,
            Instant sentAt,
            @Nullable String invitedBy) {}

    /** What the link's page shows before accepting. */
    public record Invited(
            long id,
            long workspaceId,
            String workspace,
            String email,
            WorkspaceRole role,
            State state,
            String invitedBy) {}

    /** Published in the inviting transaction; the mail (with a fresh token) goes after the commit. */
    record InvitationRequested(long invitationId) {}

    private final JdbcClient jdbc;
    private final Workspaces workspaces;
    private final WorkspaceService changes;
    private final ApplicationEventPublisher events;
    private final Clock clock;

    Invitations(
            JdbcClient jdbc,
            Workspaces workspaces,
            WorkspaceService changes,
            ApplicationEventPublisher events,
            Clock clock) {
        this.jdbc = jdbc;
        this.workspaces = workspaces;
        this.changes = changes;
        this.events = events;
        this.clock = clock;
    }

    @Transactional
    public void invite(long actor, long workspaceId, String email, WorkspaceRole role) {
        changes.lock(workspaceId).require(actor, WorkspaceAction.INVITE, "Your role does not allow inviting.");
        String address = email.strip();
        if (address.length() > 254 || !EMAIL.matcher(address).matches()) {
            throw new WorkspaceRuleException("Enter an email address like name@example.com.");
        }
        if (role == WorkspaceRole.OWNER) {
            throw new WorkspaceRuleException("Invite as admin, member or viewer; make an owner once they joined.");
        }
        if (isMember(workspaceId, address)) {
            throw new WorkspaceRuleException(address + " is a member already.");
        }
        if (openInvitation(workspaceId, address)) {
            throw new WorkspaceRuleException(address + " is invited already; resend or revoke that invitation below.");
        }
        withinHourlyLimit(workspaceId);
        Instant now = clock.instant();
        long id = jdbc.sql("insert into workspace_invitations (workspace_id, email, role, token_hash, invited_by,"
                        + " created_at, sent_at, expires_at) values (?, ?, ?, ?, ?, ?, ?, ?) returning id")
                .params(
                        workspaceId,
                        address,
                        role.value(),
                        unguessableHash(),
                        actor,
                        Sql.at(now),
                        Sql.at(now),
                        Sql.at(now.plus(LIFETIME)))
                .query(Long.class)
                .single();
        events.publishEvent(new InvitationRequested(id));
    }

    /** Sends the invitation again with a new link (the old one stops working) and a new week to accept it. */
    @Transactional
    public void resend(long actor, long workspaceId, long invitationId) {
        changes.lock(workspaceId).require(actor, WorkspaceAction.INVITE, "Your role does not allow inviting.");
        withinHourlyLimit(workspaceId);
        Instant now = clock.instant();
        int renewed = jdbc.sql("update workspace_invitations set sent_at = ?, expires_at = ?, token_hash = ?"
                        + " where id = ? and workspace_id = ? and accepted_at is null and revoked_at is null")
                .params(Sql.at(now), Sql.at(now.plus(LIFETIME)), unguessableHash(), invitationId, workspaceId)
                .update();
        if (renewed == 0) {
            throw new WorkspaceRuleException("Only an invitation that was neither accepted nor revoked can be resent.");
        }
        events.publishEvent(new InvitationRequested(invitationId));
    }

    @Transactional
    public void revoke(long actor, long workspaceId, long invitationId) {
        changes.lock(workspaceId).require(actor, WorkspaceAction.INVITE, "Your role does not allow inviting.");
        int revoked = jdbc.sql("update workspace_invitations set revoked_at = ?"
                        + " where id = ? and workspace_id = ? and accepted_at is null and revoked_at is null")
                .params(Sql.at(clock.instant()), invitationId, workspaceId)
                .update();
        if (revoked == 0) {
            throw new WorkspaceRuleException("That invitation was accepted or revoked already.");
        }
    }

    /** The workspace's invitations, open ones first, newest first. */
    public List<Invitation> list(long workspaceId) {
        return jdbc.sql("select i.id, i.email, i.role, i.sent_at, i.expires_at, i.accepted_at, i.revoked_at,"
                        + " u.display_name from workspace_invitations i left join users u on u.id = i.invited_by"
                        + " where i.workspace_id = ? order by (i.accepted_at is null and i.revoked_at is null) desc,"
                        + " i.sent_at desc limit 200")
                .param(workspaceId)
                .query((rs, n) -> new Invitation(
                        rs.getLong("id"),
                        rs.getString("email"),
                        Workspaces.role(rs.getString("role")),
                        state(rs),
                        rs.getTimestamp("sent_at").toInstant(),
                        rs.getString("display_name")))
                .list();
    }

    /** The invitation behind a link, whatever its state; empty for a link that was never sent (forged, or replaced by a resend). */
    public Optional<Invited> peek(String token) {
        return jdbc.sql(INVITED + " where i.token_hash = ?")
                .param(hash(token))
                .query(this::invited)
                .optional();
    }

    /**
     * Accepts the invitation behind a link for the signed-in account, which must have the invited
     * address; returns the workspace joined.
     */
    @Transactional
    public Workspaces.Membership accept(String token, long userId, String userEmail) {
        Invited invited = peek(token)
                .orElseThrow(() -> new WorkspaceRuleException(
                        "This invitation link is not valid. If it was resent, use the newest mail."));
        return accept(invited, userId, userEmail);
    }

    /** Accepts an open invitation to the account's (verified) address from its list of invitations. */
    @Transactional
    public Workspaces.Membership accept(long invitationId, long userId, String userEmail) {
        Invited invited = forAddress(userEmail).stream()
                .filter(invitation -> invitation.id() == invitationId)
                .findFirst()
                .orElseThrow(() -> new WorkspaceRuleException("That invitation is no longer open."));
        return accept(invited, userId, userEmail);
    }

    /** The open invitations to an address, for its account to accept without the link. */
    public List<Invited> forAddress(String email) {
        return jdbc.sql(INVITED + " where lower(i.email) = lower(?) and i.accepted_at is null and i.revoked_at is null"
                        + " and i.expires_at > ? order by i.sent_at desc")
                .params(email, Sql.at(clock.instant()))
                .query(this::invited)
                .list();
    }

    private Invited invited(ResultSet rs, int row) throws SQLException {
        return new Invited(
                rs.getLong("id"),
                rs.getLong("workspace_id"),
                rs.getString("name"),
                rs.getString("email"),
                Workspaces.role(rs.getString("role")),
                state(rs),
                rs.getString("inviter"));
    }

    private Workspaces.Membership accept(Invited invited, long userId, String userEmail) {
        // Locks the invitation: of two accepts at once, the second sees it accepted.
        String state = jdbc.sql("select case when accepted_at is not null then 'ACCEPTED' when revoked_at is not null"
                        + " then 'REVOKED' when expires_at <= ? then 'EXPIRED' else 'PENDING' end"
                        + " from workspace_invitations where id = ? for update")
                .params(Sql.at(clock.instant()), invited.id())
                .query(String.class)
                .single();
        switch (State.valueOf(state)) {
            case ACCEPTED -> throw new WorkspaceRuleException("This invitation was used already.");
            case REVOKED -> throw new WorkspaceRuleException("This invitation was revoked.");
            case EXPIRED -> throw new WorkspaceRuleException("This invitation expired; ask for a new one.");
            case PENDING -> {}
        }
        if (!invited.email().toLowerCase(Locale.ROOT).equals(userEmail.toLowerCase(Locale.ROOT))) {
            throw new WorkspaceRuleException("This invitation was sent to another address. Sign in with the account of "
                    + invited.email() + " to accept it.");
        }
        if (!changes.join(invited.workspaceId(), userId, invited.role())) {
            throw new WorkspaceRuleException("You are a member of " + invited.workspace() + " already.");
        }
        jdbc.sql("update workspace_invitations set accepted_at = ?, accepted_by = ? where id = ?")
                .params(Sql.at(clock.instant()), userId, invited.id())
                .update();
        return workspaces.membership(userId, invited.workspaceId()).orElseThrow();
    }

    /** Gives the invitation a new link and returns it; empty when it is no longer open (revoked, accepted, expired). */
    Optional<String> newLink(long invitationId) {
        String token = token();
        int updated = jdbc.sql("update workspace_invitations set token_hash = ? where id = ? and accepted_at is null"
                        + " and revoked_at is null and expires_at > ?")
                .params(hash(token), invitationId, Sql.at(clock.instant()))
                .update();
        return updated == 1 ? Optional.of(token) : Optional.empty();
    }

    private boolean isMember(long workspaceId, String email) {
        return jdbc.sql("select exists (select 1 from workspace_members m join users u on u.id = m.user_id"
                        + " where m.workspace_id = ? and lower(u.email) = lower(?))")
                .params(workspaceId, email)
                .query(Boolean.class)
                .single();
    }

    private boolean openInvitation(long workspaceId, String email) {
        return jdbc.sql("select exists (select 1 from workspace_invitations where workspace_id = ?"
                        + " and lower(email) = lower(?) and accepted_at is null and revoked_at is null)")
                .params(workspaceId, email)
                .query(Boolean.class)
                .single();
    }

    private void withinHourlyLimit(long workspaceId) {
        long sent = jdbc.sql("select count(*) from workspace_invitations where workspace_id = ? and sent_at > ?")
                .params(workspaceId, Sql.at(clock.instant().minus(Duration.ofHours(1))))
                .query(Long.class)
                .single();
        if (sent >= PER_HOUR) {
            throw new WorkspaceRuleException(
                    "This workspace sent " + PER_HOUR + " invitations in the last hour; try again later.");
        }
    }

    private State state(ResultSet rs) throws SQLException {
        if (rs.getTimestamp("accepted_at") != null) {
            return State.ACCEPTED;
        }
        if (rs.getTimestamp("revoked_at") != null) {
            return State.REVOKED;
        }
        return rs.getTimestamp("expires_at").toInstant().isAfter(clock.instant()) ? State.PENDING : State.EXPIRED;
    }

    /** A hash no token has: the row's link exists only once the mail is sent. */
    private static byte[] unguessableHash() {
        return hash(token());
    }

    private static String token() {
        byte[] raw = new byte[32];
        RANDOM.nextBytes(raw);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(raw);
    }

    static byte[] hash(String token) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
