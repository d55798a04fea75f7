package dev.tandem.core.identity.workspaces;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tandem.core.TestAccounts;
import dev.tandem.core.TestBrowser;
import dev.tandem.core.TestBrowser.Page;
import dev.tandem.core.WebIntegrationTest;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The workspace pages over HTTP, as members with each role use them, with what they leave in the database. */
class WorkspacePagesTests extends WebIntegrationTest {

    private TestAccounts accounts;

    @BeforeEach
    void setUp() {
        accounts = new TestAccounts(jdbc);
    }

    @Test
    void everyAccountHasAPersonalWorkspaceShownInTheSwitcher() {
        long ann = accounts.active(TestAccounts.uniqueEmail("ann"));
        TestBrowser browser = signedIn(ann);

        Page dashboard = browser.open("/dashboard");

        String name = jdbc.sql("select name from workspaces where personal_for = ?")
                .param(ann)
                .query(String.class)
                .single();
        assertThat(dashboard.body()).contains("class=\"workspace-name text-truncate\">" + name.replace("'", "&#39;"));
        assertThat(role(workspaceOf(ann), ann)).isEqualTo("owner");
    }

    @Test
    void aWorkspaceIsCreatedWithItsCreatorAsOwnerAndBecomesCurrent() {
        long ann = accounts.active(TestAccounts.uniqueEmail("creator"));
        TestBrowser browser = signedIn(ann);
        browser.get("/workspaces");
        String slug = uniqueSlug("acme");

        Page created = browser.post("/workspaces", Map.of("name", "Acme Labs", "slug", slug));

        assertThat(created.location().orElseThrow()).endsWith("/w/" + slug + "/members");
        long acme = workspace(slug);
        assertThat(role(acme, ann)).isEqualTo("owner");
        assertThat(browser.open("/dashboard").body()).contains(">Acme Labs</span>");
        assertThat(jdbc.sql("select last_workspace_id from users where id = ?")
                        .param(ann)
                        .query(Long.class)
                        .single())
                .isEqualTo(acme);
    }

    @Test
    void badNamesAndAddressesAreRefusedWithAMessageAndNothingMade() {
        long ann = accounts.active(TestAccounts.uniqueEmail("refused"));
        TestBrowser browser = signedIn(ann);
        String taken = uniqueSlug("taken");
        browser.get("/workspaces");
        browser.post("/workspaces", Map.of("name", "First", "slug", taken));
        long before = count("workspaces");

        browser.get("/workspaces");
        assertThat(browser.post("/workspaces", Map.of("name", "Second", "slug", taken))
                        .body())
                .contains("is taken");
        assertThat(browser.post("/workspaces", Map.of("name", "Admin", "slug", "admin"))
                        .body())
                .contains("is reserved");
        assertThat(browser.post("/workspaces", Map.of("name", "Shouty", "slug", "Shouty"))
                        .body())
                .contains("lower-case letters");
        assertThat(browser.post("/workspaces", Map.of("name", "  ", "slug", uniqueSlug("blank")))
                        .body())
                .contains("name of 1–80 characters");
        assertThat(count("workspaces")).isEqualTo(before);
    }

    @Test
    void aPageTheRoleMayNotSeeIsNotFoundLikeAnotherTeamsWorkspace() {
        Team team = team();
        long outsider = accounts.active(TestAccounts.uniqueEmail("outsider"));

        assertThat(signedIn(outsider).get("/w/" + team.slug + "/members").status())
                .isEqualTo(404);
        TestBrowser viewer = signedIn(team.viewer);
        assertThat(viewer.get("/w/" + team.slug + "/members").status()).isEqualTo(200);
        assertThat(viewer.get("/w/" + team.slug + "/settings").status()).isEqualTo(404);
        assertThat(viewer.get("/w/" + team.slug + "/api-keys").status())
                .as("a viewer may not own keys there")
                .isEqualTo(404);
        assertThat(signedIn(team.member).get("/w/" + team.slug + "/members").body())
                .as("a member who is not the last owner may leave")
                .contains("action=\"/w/" + team.slug + "/leave\"")
                .doesNotContain("/remove\"");
        assertThat(signedIn(team.admin).get("/w/" + team.slug + "/settings").status())
                .isEqualTo(200);
    }

    @Test
    void roleChangesFollowTheRulesAndARefusalChangesNothing() {
        Team team = team();
        TestBrowser viewer = signedIn(team.viewer);
        viewer.get("/w/" + team.slug + "/members");
        viewer.post(rolePath(team, team.member), Map.of("role", "viewer"));
        assertThat(viewer.open("/w/" + team.slug + "/members").body()).contains("does not allow changing roles");
        assertThat(role(team.id, team.member)).isEqualTo("member");

        TestBrowser admin = signedIn(team.admin);
        admin.get("/w/" + team.slug + "/members");
        admin.post(rolePath(team, team.admin), Map.of("role", "owner"));
        assertThat(role(team.id, team.admin)).isEqualTo("admin");
        admin.get("/w/" + team.slug + "/members");
        admin.post(rolePath(team, team.owner), Map.of("role", "member"));
        assertThat(role(team.id, team.owner)).isEqualTo("owner");

        admin.get("/w/" + team.slug + "/members");
        admin.post(rolePath(team, team.member), Map.of("role", "viewer"));
        assertThat(role(team.id, team.member)).isEqualTo("viewer");
    }

    @Test
    void theLastOwnerCannotLeaveUntilOwnershipIsTransferred() {
        Team team = team();
        TestBrowser owner = signedIn(team.owner);
        owner.get("/w/" + team.slug + "/members");

        owner.post("/w/" + team.slug + "/leave", Map.of());
        assertThat(owner.open("/w/" + team.slug + "/members").body()).contains("You are the last owner");
        assertThat(role(team.id, team.owner)).isEqualTo("owner");

        owner.post("/w/" + team.slug + "/transfer", Map.of("userId", Long.toString(team.member)));
        assertThat(role(team.id, team.member)).isEqualTo("owner");
        assertThat(role(team.id, team.owner)).isEqualTo("admin");

        owner.get("/w/" + team.slug + "/members");
        owner.post("/w/" + team.slug + "/leave", Map.of());
        assertThat(count("workspace_members where workspace_id = " + team.id + " and user_id = " + team.owner))
                .isZero();
    }

    @Test
    void removingAMemberEndsTheirKeysAndTokensThereAndTellsTheBus() {
        Team team = team();
        String keyHere = apiKey(team.member, team.id);
        String keyElsewhere = apiKey(team.member, workspaceOf(team.member));
        refreshToken(team.member, team.id);
        refreshToken(team.member, workspaceOf(team.member));
        TestBrowser admin = signedIn(team.admin);
        admin.get("/w/" + team.slug + "/members");

        admin.post("/w/" + team.slug + "/members/" + team.member + "/remove", Map.of());

        assertThat(count("workspace_members where workspace_id = " + team.id + " and user_id = " + team.member))
                .isZero();
        assertThat(count("api_keys where revoked_at is not null and id = '" + keyHere + "'"))
                .isOne();
        assertThat(count("api_keys where revoked_at is null and id = '" + keyElsewhere + "'"))
                .isOne();
        assertThat(count("refresh_tokens where revoked_at is null and user_id = " + team.member))
                .isOne();
        assertThat(count("outbox where event_type = 'api_key.revoked' and payload -> 'data' ->> 'keyId' = '" + keyHere
                        + "'"))
                .isOne();
        assertThat(count(
                        "outbox where event_type = 'workspace.member_removed' and (payload -> 'data' ->> 'userId')::bigint = "
                                + team.member + " and (payload -> 'data' ->> 'workspaceId')::bigint = " + team.id))
                .isOne();
    }

    @Test
    void deletingTakesTheTypedNameThenClosesTheWorkspaceForEveryone() {
        Team team = team();
        TestBrowser owner = signedIn(team.owner);
        owner.get("/w/" + team.slug + "/settings");

        assertThat(owner.postRaw("/w/" + team.slug + "/delete", Map.of("confirm", team.name))
                        .status())
                .as("a form without its CSRF token")
                .isEqualTo(403);
        assertThat(count("workspaces where deleted_at is null and id = " + team.id))
                .isOne();

        owner.get("/w/" + team.slug + "/settings");
        owner.post("/w/" + team.slug + "/delete", Map.of("confirm", "not the name"));
        assertThat(owner.open("/w/" + team.slug + "/settings").body()).contains("Type the workspace");
        assertThat(count("workspaces where deleted_at is null and id = " + team.id))
                .isOne();

        owner.post("/w/" + team.slug + "/delete", Map.of("confirm", team.name));

        assertThat(count("workspaces where deleted_at is not null and id = " + team.id))
                .isOne();
        assertThat(count("workspace_members where workspace_id = " + team.id)).isZero();
        assertThat(count(
                        "outbox where event_type = 'workspace.deleted' and (payload -> 'data' ->> 'workspaceId')::bigint = "
                                + team.id))
                .isOne();
        assertThat(signedIn(team.member).get("/w/" + team.slug + "/members").status())
                .isEqualTo(404);
        assertThat(owner.open("/dashboard").body()).doesNotContain(">" + team.name + "</span>");
    }

    @Test
    void renamingChecksTheAddressLikeCreating() {
        Team team = team();
        Team other = team();
        TestBrowser admin = signedIn(team.admin);
        admin.get("/w/" + team.slug + "/settings");

        Page clash = admin.post("/w/" + team.slug + "/settings", Map.of("name", "Renamed", "slug", other.slug));
        assertThat(clash.body()).contains("is taken");

        String newSlug = uniqueSlug("renamed");
        Page saved = admin.post("/w/" + team.slug + "/settings", Map.of("name", "Renamed", "slug", newSlug));
        assertThat(saved.location().orElseThrow()).endsWith("/w/" + newSlug + "/settings");
        assertThat(jdbc.sql("select name from workspaces where id = ?")
                        .param(team.id)
                        .query(String.class)
                        .single())
                .isEqualTo("Renamed");
    }

    @Test
    void aGuestInAnotherAccountsPersonalWorkspaceMayLeaveItAndSeesNoPersonalBadge() {
        long host = accounts.active(TestAccounts.uniqueEmail("host"));
        long guest = accounts.active(TestAccounts.uniqueEmail("guest"));
        long hosted = workspaceOf(host);
        jdbc.sql("insert into workspace_members (workspace_id, user_id, role) values (?, ?, 'member')")
                .params(hosted, guest)
                .update();
        TestBrowser browser = signedIn(guest);

        assertThat(browser.get("/w/personal-" + host + "/members").body())
                .contains("action=\"/w/personal-" + host + "/leave\"");
        assertThat(browser.get("/workspaces").body().split(">Personal</span>", -1))
                .as("one Personal badge: the guest's own workspace")
                .hasSize(2);
        browser.post("/w/personal-" + host + "/leave", Map.of());
        assertThat(count("workspace_members where workspace_id = " + hosted + " and user_id = " + guest))
                .isZero();
    }

    @Test
    void theOnlyOwnerOfATeamCannotCloseTheAccountUntilAnotherOwnerExists() {
        Team team = team();
        TestBrowser owner = signedIn(team.owner);
        owner.get("/account/delete");

        Page refused = owner.post("/account/delete", Map.of("password", TestAccounts.PASSWORD));

        assertThat(refused.body()).contains("You are the only owner of " + team.name);
        assertThat(jdbc.sql("select status from users where id = ?")
                        .param(team.owner)
                        .query(String.class)
                        .single())
                .isEqualTo("ACTIVE");
    }

    @Test
    void closingAnAccountClosesItsPersonalWorkspaceAndLeavesItsTeams() {
        Team team = team();
        long personal = workspaceOf(team.member);
        TestBrowser member = signedIn(team.member);
        member.get("/account/delete");

        member.post("/account/delete", Map.of("password", TestAccounts.PASSWORD));

        assertThat(count("workspaces where deleted_at is not null and id = " + personal))
                .isOne();
        assertThat(count("workspace_members where user_id = " + team.member)).isZero();
        assertThat(count(
                        "outbox where event_type = 'workspace.deleted' and (payload -> 'data' ->> 'workspaceId')::bigint = "
                                + personal))
                .isOne();
        assertThat(count(
                        "outbox where event_type = 'workspace.member_removed' and (payload -> 'data' ->> 'workspaceId')::bigint = "
                                + team.id))
                .isOne();
        assertThat(count("workspaces where deleted_at is null and id = " + team.id))
                .isOne();
    }

    /** A team workspace with one account in each role. */
    private record Team(long id, String name, String slug, long owner, long admin, long member, long viewer) {}

    private Team team() {
        String slug = uniqueSlug("team");
        String name = "Team " + slug;
        long id = jdbc.sql("insert into workspaces (name, slug) values (?, ?) returning id")
                .params(name, slug)
                .query(Long.class)
                .single();
        long[] people = new long[4];
        String[] roles = {"owner", "admin", "member", "viewer"};
        for (int i = 0; i < roles.length; i++) {
            people[i] = accounts.active(TestAccounts.uniqueEmail(roles[i]));
            jdbc.sql("insert into workspace_members (workspace_id, user_id, role) values (?, ?, ?)")
                    .params(id, people[i], roles[i])
                    .update();
        }
        return new Team(id, name, slug, people[0], people[1], people[2], people[3]);
    }

    private String apiKey(long userId, long workspaceId) {
        String id = UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        jdbc.sql("insert into api_keys (id, user_id, workspace_id, name, secret_hash, scopes)"
                        + " values (?, ?, ?, 'k', decode(repeat('ab', 32), 'hex'), '{content:read}')")
                .params(id, userId, workspaceId)
                .update();
        return id;
    }

    private void refreshToken(long userId, long workspaceId) {
        jdbc.sql("insert into refresh_tokens (id, family_id, user_id, workspace_id, token_hash, scopes, expires_at)"
                        + " values (gen_random_uuid(), gen_random_uuid(), ?, ?, sha256(gen_random_uuid()::text::bytea),"
                        + " '{content:read}', now() + interval '1 day')")
                .params(userId, workspaceId)
                .update();
    }

    private static String rolePath(Team team, long userId) {
        return "/w/" + team.slug + "/members/" + userId + "/role";
    }

    private static String uniqueSlug(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    private long workspace(String slug) {
        return jdbc.sql("select id from workspaces where slug = ? and deleted_at is null")
                .param(slug)
                .query(Long.class)
                .single();
    }

    private long workspaceOf(long userId) {
        return jdbc.sql("select id from workspaces where personal_for = ?")
                .param(userId)
                .query(Long.class)
                .single();
    }

    private String role(long workspaceId, long userId) {
        return jdbc.sql("select role from workspace_members where workspace_id = ? and user_id = ?")
                .params(workspaceId, userId)
                .query(String.class)
                .single();
    }

    private long count(String fromWhere) {
        return jdbc.sql("select count(*) from " + fromWhere).query(Long.class).single();
    }
}
