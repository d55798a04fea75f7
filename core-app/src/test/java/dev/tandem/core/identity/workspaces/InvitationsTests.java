package dev.tandem.core.identity.workspaces;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tandem.core.Mailbox.Mail;
import dev.tandem.core.TestAccounts;
import dev.tandem.core.TestBrowser;
import dev.tandem.core.Waits;
import dev.tandem.core.WebIntegrationTest;
import java.net.URI;
import java.util.Map;
import java.util.UUID;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Invitations by mail, through every state: sent, accepted, reused, forged, expired, resent, revoked, refused. */
class InvitationsTests extends WebIntegrationTest {

    private TestAccounts accounts;
    private long owner;
    private long workspace;
    private String slug;
    private TestBrowser ownerBrowser;

    @BeforeEach
    void setUp() {
        accounts = new TestAccounts(jdbc);
        owner = accounts.active(TestAccounts.uniqueEmail("inviter"));
        slug = "inv-" + UUID.randomUUID().toString().substring(0, 8);
        workspace = jdbc.sql("insert into workspaces (name, slug) values ('Invite Co', ?) returning id")
                .param(slug)
                .query(Long.class)
                .single();
        member(owner, "owner");
        ownerBrowser = signedIn(owner);
    }

    @Test
    void theInvitedAccountAcceptsFromTheMailOnceWithTheRoleGiven() {
        String address = TestAccounts.uniqueEmail("invitee");
        long invitee = accounts.active(address);

        String link = invite(address, "viewer");
        TestBrowser browser = signedIn(invitee);
        assertThat(browser.get(link).body()).contains(">Invite Co</span>").contains("action=\"" + link + "/accept\"");
        browser.post(link + "/accept", Map.of());

        assertThat(role(invitee)).isEqualTo("viewer");
        assertThat(count("workspace_invitations where workspace_id = " + workspace + " and accepted_by = " + invitee))
                .isOne();
        browser.get(link);
        browser.post(link + "/accept", Map.of());
        assertThat(browser.open(link).body()).contains("used already");
        assertThat(ownerBrowser.open("/w/" + slug + "/members").body()).contains(">Accepted<");
    }

    @Test
    void aLinkOpenedByAnotherAccountChangesNothing() {
        String address = TestAccounts.uniqueEmail("meant");
        accounts.active(address);
        long other = accounts.active(TestAccounts.uniqueEmail("other"));
        String link = invite(address, "member");

        TestBrowser browser = signedIn(other);
        assertThat(browser.get(link).body()).contains("You are signed in as");
        browser.post(link + "/accept", Map.of());

        assertThat(browser.open(link).body()).contains("sent to another address");
        assertThat(count("workspace_members where workspace_id = " + workspace + " and user_id = " + other))
                .isZero();
        assertThat(count("workspace_invitations where accepted_at is not null and workspace_id = " + workspace))
                .isZero();
    }

    @Test
    void aForgedLinkIsNotValid() {
        long someone = accounts.active(TestAccounts.uniqueEmail("forger"));
        TestBrowser browser = signedIn(someone);

        assertThat(browser.get("/invitations/forged-token").body()).contains("This invitation link is not valid");
        browser.post("/invitations/forged-token/accept", Map.of());
        assertThat(browser.open("/invitations/forged-token").body()).contains("not valid");
        assertThat(count("workspace_members where user_id = " + someone)).isOne();
    }

    @Test
    void anExpiredInvitationIsRefusedUntilResentAndTheResentLinkReplacesTheOld() {
        String address = TestAccounts.uniqueEmail("late");
        long invitee = accounts.active(address);
        String oldLink = invite(address, "member");
        jdbc.sql(
                        "update workspace_invitations set sent_at = now() - interval '8 days', expires_at = now() - interval '1 day'"
                                + " where workspace_id = ?")
                .param(workspace)
                .update();
        TestBrowser browser = signedIn(invitee);
        browser.get(oldLink);
        browser.post(oldLink + "/accept", Map.of());
        assertThat(browser.open(oldLink).body()).contains("expired");
        assertThat(ownerBrowser.open("/w/" + slug + "/members").body()).contains(">Expired<");

        ownerBrowser.post("/w/" + slug + "/invitations/" + invitationId(address) + "/resend", Map.of());
        String newLink = awaitLink(address, 2);

        assertThat(newLink).isNotEqualTo(oldLink);
        assertThat(browser.get(oldLink).body()).contains("not valid");
        browser.get(newLink);
        browser.post(newLink + "/accept", Map.of());
        assertThat(role(invitee)).isEqualTo("member");
    }

    @Test
    void aRevokedInvitationCannotBeAccepted() {
        String address = TestAccounts.uniqueEmail("revoked");
        long invitee = accounts.active(address);
        String link = invite(address, "member");

        ownerBrowser.get("/w/" + slug + "/members");
        ownerBrowser.post("/w/" + slug + "/invitations/" + invitationId(address) + "/revoke", Map.of());
        TestBrowser browser = signedIn(invitee);

        assertThat(browser.get(link).body()).contains("was revoked");
        browser.post(link + "/accept", Map.of());
        assertThat(count("workspace_members where workspace_id = " + workspace + " and user_id = " + invitee))
                .isZero();
        assertThat(ownerBrowser.open("/w/" + slug + "/members").body()).contains(">Revoked<");
    }

    @Test
    void invitingAMemberTwiceOrAsAViewerIsRefusedWithAMessage() {
        long member = accounts.active(TestAccounts.uniqueEmail("member"));
        member(member, "viewer");
        String memberEmail = email(member);
        String address = TestAccounts.uniqueEmail("twice");

        assertThat(inviteForm(ownerBrowser, memberEmail, "member")).contains("is a member already");
        invite(address, "member");
        assertThat(inviteForm(ownerBrowser, address.toUpperCase(), "member")).contains("is invited already");
        assertThat(inviteForm(ownerBrowser, "not-an-address", "member")).contains("like name@example.com");
        assertThat(inviteForm(signedIn(member), TestAccounts.uniqueEmail("x"), "member"))
                .contains("not allow inviting");
        assertThat(count("workspace_invitations where workspace_id = " + workspace))
                .isOne();
    }

    @Test
    void aWorkspaceSendsAtMostTwentyInvitationsAnHour() {
        for (int i = 0; i < Invitations.PER_HOUR; i++) {
            jdbc.sql(
                            "insert into workspace_invitations (workspace_id, email, role, token_hash, expires_at)"
                                    + " values (?, ?, 'member', sha256(gen_random_uuid()::text::bytea), now() + interval '7 days')")
                    .params(workspace, "bulk" + i + "@example.com")
                    .update();
        }

        assertThat(inviteForm(ownerBrowser, TestAccounts.uniqueEmail("one-more"), "member"))
                .contains("20 invitations in the last hour");
        assertThat(count("workspace_invitations where workspace_id = " + workspace))
                .isEqualTo(Invitations.PER_HOUR);
    }

    @Test
    void aVerifiedAccountSeesItsInvitationsAndJoinsWithoutTheLink() {
        String address = TestAccounts.uniqueEmail("listed");
        long invitee = accounts.active(address);
        invite(address, "member");
        TestBrowser browser = signedIn(invitee);

        assertThat(browser.get("/workspaces").body())
                .contains("Invitations for you")
                .contains("Invite Co");
        browser.post("/workspaces/invitations/" + invitationId(address) + "/accept", Map.of());

        assertThat(role(invitee)).isEqualTo("member");
        assertThat(browser.open("/dashboard").body()).contains(">Invite Co</span>");
    }

    /** Invites through the members page and returns the path of the mailed link. */
    private String invite(String address, String role) {
        inviteForm(ownerBrowser, address, role);
        return awaitLink(address, 1);
    }

    private String inviteForm(TestBrowser browser, String address, String role) {
        browser.get("/w/" + slug + "/members");
        browser.post("/w/" + slug + "/invitations", Map.of("email", address, "role", role));
        return browser.open("/w/" + slug + "/members").body();
    }

    /** The link of the {@code nth} mail to {@code address} (mails arrive after the commit, so it is waited for). */
    private String awaitLink(String address, int nth) {
        Awaitility.await()
                .atMost(Waits.PATIENCE)
                .until(() -> mailbox().to(address).size() >= nth);
        Mail mail = mailbox().to(address).get(nth - 1);
        assertThat(mail.subject()).contains("invited you to Invite Co");
        return URI.create(mail.link("/invitations/")).getPath();
    }

    private long invitationId(String address) {
        return jdbc.sql("select id from workspace_invitations where workspace_id = ? and email = ?")
                .params(workspace, address)
                .query(Long.class)
                .single();
    }

    private void member(long userId, String role) {
        jdbc.sql("insert into workspace_members (workspace_id, user_id, role) values (?, ?, ?)")
                .params(workspace, userId, role)
                .update();
    }

    private String email(long userId) {
        return jdbc.sql("select email from users where id = ?")
                .param(userId)
                .query(String.class)
                .single();
    }

    private String role(long userId) {
        return jdbc.sql("select role from workspace_members where workspace_id = ? and user_id = ?")
                .params(workspace, userId)
                .query(String.class)
                .single();
    }

    private long count(String fromWhere) {
        return jdbc.sql("select count(*) from " + fromWhere).query(Long.class).single();
    }
}
