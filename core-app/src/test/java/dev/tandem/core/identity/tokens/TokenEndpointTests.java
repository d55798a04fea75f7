package dev.tandem.core.identity.tokens;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tandem.core.TestAccounts;
import dev.tandem.core.WebIntegrationTest;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class TokenEndpointTests extends WebIntegrationTest {

    private TestAccounts accounts;
    private ApiClient api;

    @BeforeEach
    void setUp() {
        accounts = new TestAccounts(jdbc);
        api = new ApiClient(port);
        jdbc.sql("delete from login_throttle").update();
    }

    @Test
    void thePasswordGrantReturnsAnOAuthTokenResponse() {
        String email = TestAccounts.uniqueEmail("app");
        accounts.active(email);

        ApiClient.Response response = api.password(email, TestAccounts.PASSWORD);

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.header("Cache-Control")).contains("no-store");
        assertThat(response.json().path("token_type").asString()).isEqualTo("Bearer");
        assertThat(response.json().path("expires_in").asLong()).isBetween(890L, 900L);
        assertThat(response.json().path("access_token").asString()).matches("[\\w-]+\\.[\\w-]+\\.[\\w-]+");
        assertThat(response.json().path("refresh_token").asString()).hasSizeGreaterThan(40);
        assertThat(response.json().path("scope").asString())
                .contains("profile:read")
                .contains("content:write");
    }

    @Test
    void errorsFollowRfc6749() {
        String email = TestAccounts.uniqueEmail("errs");
        accounts.active(email);

        ApiClient.Response wrong = api.password(email, "not the right password");
        ApiClient.Response unsupported = api.form("/api/v1/auth/token", Map.of("grant_type", "client_credentials"));
        ApiClient.Response missing =
                api.form("/api/v1/auth/token", Map.of("grant_type", "password", "username", email));
        ApiClient.Response badScope = api.form(
                "/api/v1/auth/token",
                Map.of(
                        "grant_type",
                        "password",
                        "username",
                        email,
                        "password",
                        TestAccounts.PASSWORD,
                        "scope",
                        "root"));

        assertThat(wrong.status()).isEqualTo(400);
        assertThat(wrong.json().path("error").asString()).isEqualTo("invalid_grant");
        assertThat(unsupported.json().path("error").asString()).isEqualTo("unsupported_grant_type");
        assertThat(missing.json().path("error").asString()).isEqualTo("invalid_request");
        assertThat(badScope.json().path("error").asString()).isEqualTo("invalid_scope");

        ApiClient.Response json = api.json(
                "/api/v1/auth/token",
                "{\"grant_type\": \"password\", \"username\": \"" + email + "\", \"password\": \"x\"}");
        assertThat(json.status()).isEqualTo(400);
        assertThat(json.header("Content-Type")).startsWith("application/json");
        assertThat(json.json().path("error").asString()).isEqualTo("invalid_request");
        assertThat(json.json().path("error_description").asString()).contains("form-encoded");
    }

    @Test
    void unverifiedAccountsGetNoTokens() {
        String email = TestAccounts.uniqueEmail("unverified");
        accounts.pending(email);

        ApiClient.Response response = api.password(email, TestAccounts.PASSWORD);

        assertThat(response.status()).isEqualTo(400);
        assertThat(response.json().path("error_description").asString()).contains("Verify your email");
    }

    @Test
    void aRefreshTokenIsRotatedAndItsReuseRevokesTheWholeFamily() {
        String email = TestAccounts.uniqueEmail("rotate");
        accounts.active(email);
        String first = api.password(email, TestAccounts.PASSWORD)
                .json()
                .path("refresh_token")
                .asString();

        ApiClient.Response rotated = api.refresh(first);
        String second = rotated.json().path("refresh_token").asString();
        ApiClient.Response reuse = api.refresh(first);
        ApiClient.Response afterReuse = api.refresh(second);

        assertThat(rotated.status()).isEqualTo(200);
        assertThat(second).isNotEqualTo(first);
        assertThat(reuse.status()).isEqualTo(400);
        assertThat(reuse.json().path("error_description").asString()).contains("already used");
        assertThat(afterReuse.status())
                .as("the thief's or the victim's token is dead too")
                .isEqualTo(400);
    }

    @Test
    void revocationEndsTheFamilyAndAlwaysAnswers200() {
        String email = TestAccounts.uniqueEmail("revoke");
        accounts.active(email);
        String token = api.password(email, TestAccounts.PASSWORD)
                .json()
                .path("refresh_token")
                .asString();

        assertThat(api.form("/api/v1/auth/revoke", Map.of("token", token)).status())
                .isEqualTo(200);
        assertThat(api.form("/api/v1/auth/revoke", Map.of("token", "no-such-token"))
                        .status())
                .isEqualTo(200);
        assertThat(api.refresh(token).status()).isEqualTo(400);
    }

    @Test
    void failedPasswordGrantsAreThrottledWith429() {
        String email = TestAccounts.uniqueEmail("guess");
        accounts.active(email);
        for (int i = 0; i < 6; i++) {
            api.password(email, "guess number " + i);
        }

        ApiClient.Response throttled = api.password(email, TestAccounts.PASSWORD);

        assertThat(throttled.status()).isEqualTo(429);
        assertThat(throttled.header("Retry-After")).matches("\\d+");
        assertThat(throttled.json().path("error").asString()).isEqualTo("slow_down");
    }

    @Test
    void accountsWithASecondFactorNeedACode() {
        String email = TestAccounts.uniqueEmail("staffapp");
        accounts.active(email, "STAFF");

        ApiClient.Response response = api.password(email, TestAccounts.PASSWORD);

        assertThat(response.status()).isEqualTo(400);
        assertThat(response.json().path("error_description").asString()).contains("two-factor");
    }

    @Test
    void theJwksPublishesTheSigningKeyWithoutItsPrivateParts() {
        String email = TestAccounts.uniqueEmail("jwks");
        accounts.active(email);
        api.password(email, TestAccounts.PASSWORD);

        ApiClient.Response jwks = api.get("/.well-known/jwks.json", null);

        assertThat(jwks.status()).isEqualTo(200);
        assertThat(jwks.json().path("keys").size()).isPositive();
        assertThat(jwks.json().path("keys").get(0).path("kty").asString()).isEqualTo("RSA");
        assertThat(jwks.json().path("keys").get(0).has("kid")).isTrue();
        assertThat(jwks.json().path("keys").get(0).has("d")).isFalse();
    }
}
