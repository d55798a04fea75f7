package dev.tandem.core.identity.tokens;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jwt.SignedJWT;
import dev.tandem.core.TestAccounts;
import dev.tandem.core.WebIntegrationTest;
import dev.tandem.schema.auth.AccessTokenClaims;
import java.text.ParseException;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Access tokens act in one workspace: the one asked for, else the last used; never one the account is not in. */
class TokenWorkspaceTests extends WebIntegrationTest {

    private TestAccounts accounts;
    private ApiClient api;
    private String email;
    private long account;

    @BeforeEach
    void setUp() {
        accounts = new TestAccounts(jdbc);
        api = new ApiClient(port);
        email = TestAccounts.uniqueEmail("wid");
        account = accounts.active(email);
    }

    @Test
    void withoutAWorkspaceTheTokenActsInThePersonalOneAsItsOwner() throws ParseException {
        Map<String, Object> claims = claims(api.password(email, TestAccounts.PASSWORD));

        assertThat(claims.get(AccessTokenClaims.WORKSPACE)).isEqualTo(personalWorkspace());
        assertThat(claims.get(AccessTokenClaims.WORKSPACE_ROLE)).isEqualTo("owner");
    }

    @Test
    void aWorkspaceAskedForByItsSlugCarriesTheMembersRoleThereAndStaysWithTheRefreshToken() throws ParseException {
        Team team = team("viewer");

        ApiClient.Response signIn = grant(team.slug);
        Map<String, Object> claims = claims(signIn);
        assertThat(claims.get(AccessTokenClaims.WORKSPACE)).isEqualTo(team.id);
        assertThat(claims.get(AccessTokenClaims.WORKSPACE_ROLE)).isEqualTo("viewer");

        jdbc.sql("update workspace_members set role = 'member' where workspace_id = ? and user_id = ?")
                .params(team.id, account)
                .update();
        Map<String, Object> refreshed =
                claims(api.refresh(signIn.json().path("refresh_token").asString()));
        assertThat(refreshed.get(AccessTokenClaims.WORKSPACE)).isEqualTo(team.id);
        assertThat(refreshed.get(AccessTokenClaims.WORKSPACE_ROLE)).isEqualTo("member");
    }

    @Test
    void theDefaultIsTheWorkspaceUsedLast() throws ParseException {
        Team team = team("member");
        jdbc.sql("update users set last_workspace_id = ? where id = ?")
                .params(team.id, account)
                .update();

        assertThat(claims(api.password(email, TestAccounts.PASSWORD)).get(AccessTokenClaims.WORKSPACE))
                .isEqualTo(team.id);
    }

    @Test
    void aWorkspaceTheAccountIsNotInIsRefusedLikeOneThatDoesNotExist() {
        String foreign = team(null).slug;

        String nowhere = "no-such-" + UUID.randomUUID().toString().substring(0, 8);

        ApiClient.Response notMember = grant(foreign);
        ApiClient.Response missing = grant(nowhere);

        assertThat(notMember.status()).isEqualTo(400);
        assertThat(notMember.json().path("error").asString()).isEqualTo("invalid_request");
        assertThat(missing.json().path("error_description").asString())
                .isEqualTo(notMember.json().path("error_description").asString().replace(foreign, nowhere));
    }

    @Test
    void aRemovedMembersRefreshTokenForThatWorkspaceStopsWorking() {
        Team team = team("member");
        String refresh = grant(team.slug).json().path("refresh_token").asString();
        String personal = api.password(email, TestAccounts.PASSWORD)
                .json()
                .path("refresh_token")
                .asString();
        long owner = accounts.active(TestAccounts.uniqueEmail("boss"));
        jdbc.sql("insert into workspace_members (workspace_id, user_id, role) values (?, ?, 'owner')")
                .params(team.id, owner)
                .update();
        var browser = signedIn(owner);
        browser.get("/w/" + team.slug + "/members");

        browser.post("/w/" + team.slug + "/members/" + account + "/remove", Map.of());

        assertThat(api.refresh(refresh).json().path("error").asString()).isEqualTo("invalid_grant");
        assertThat(api.refresh(personal).status())
                .as("other workspaces' sign-ins go on")
                .isEqualTo(200);
    }

    private ApiClient.Response grant(String workspace) {
        return api.form(
                "/api/v1/auth/token",
                Map.of(
                        "grant_type",
                        "password",
                        "username",
                        email,
                        "password",
                        TestAccounts.PASSWORD,
                        "workspace",
                        workspace));
    }

    private record Team(long id, String slug) {}

    /** A team workspace with the account in {@code role} (null: not a member). */
    private Team team(String role) {
        String slug = "tok-" + UUID.randomUUID().toString().substring(0, 8);
        long id = jdbc.sql("insert into workspaces (name, slug) values ('Token team', ?) returning id")
                .param(slug)
                .query(Long.class)
                .single();
        if (role != null) {
            jdbc.sql("insert into workspace_members (workspace_id, user_id, role) values (?, ?, ?)")
                    .params(id, account, role)
                    .update();
        }
        return new Team(id, slug);
    }

    private long personalWorkspace() {
        return jdbc.sql("select id from workspaces where personal_for = ?")
                .param(account)
                .query(Long.class)
                .single();
    }

    private static Map<String, Object> claims(ApiClient.Response response) throws ParseException {
        assertThat(response.status()).as(response.json().toString()).isEqualTo(200);
        return SignedJWT.parse(response.json().path("access_token").asString())
                .getJWTClaimsSet()
                .getClaims();
    }
}
