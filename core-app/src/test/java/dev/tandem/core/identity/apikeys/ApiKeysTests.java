package dev.tandem.core.identity.apikeys;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tandem.core.TestAccounts;
import dev.tandem.core.TestBrowser;
import dev.tandem.core.TestBrowser.Page;
import dev.tandem.core.WebIntegrationTest;
import dev.tandem.schema.auth.ApiKeyFormat;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ApiKeysTests extends WebIntegrationTest {

    private static final Pattern NEW_KEY =
            Pattern.compile("id=\"new-api-key\"[^>]*>(tdm_[a-z0-9]{12}_[A-Za-z0-9_-]{43})<");

    private TestAccounts accounts;

    @BeforeEach
    void setUp() {
        accounts = new TestAccounts(jdbc);
    }

    @Test
    void aNewKeyIsShownOnceAndStoredOnlyAsAHash() {
        long userId = accounts.active(TestAccounts.uniqueEmail("keys"));
        TestBrowser browser = signedIn(userId);
        assertThat(browser.open("/account/api-keys").body())
                .as("the account's page leads to the keys of its workspace")
                .contains("action=\"" + keys(userId) + "\"");

        Page created = browser.open(create(browser, keys(userId), "CI pipeline", "content:read", "files:read"));
        Matcher matcher = NEW_KEY.matcher(created.body());

        assertThat(matcher.find()).as("the new key is on the page").isTrue();
        ApiKeyFormat.ApiKey key = ApiKeyFormat.parse(matcher.group(1)).orElseThrow();
        var row = jdbc.sql("select name, secret_hash, scopes::text from api_keys where id = ?")
                .param(key.id())
                .query()
                .singleRow();
        assertThat(row.get("name")).isEqualTo("CI pipeline");
        assertThat(ApiKeyFormat.matches(key.secret(), (byte[]) row.get("secret_hash")))
                .isTrue();
        assertThat(row.get("scopes")).isEqualTo("{content:read,files:read}");
        Page later = browser.get(keys(userId));
        assertThat(later.body()).contains("tdm_" + key.id() + "_").doesNotContain(key.secret());
    }

    @Test
    void aRevokedKeyIsMarkedSo() {
        long userId = accounts.active(TestAccounts.uniqueEmail("revoke"));
        TestBrowser browser = signedIn(userId);
        browser.get(keys(userId));
        browser.open(create(browser, keys(userId), "temporary", "content:read"));
        String id = jdbc.sql("select id from api_keys where user_id = ?")
                .param(userId)
                .query(String.class)
                .single();

        browser.post(keys(userId) + "/" + id + "/revoke", Map.of());

        assertThat(jdbc.sql("select revoked_at is not null from api_keys where id = ?")
                        .param(id)
                        .query(Boolean.class)
                        .single())
                .isTrue();
        assertThat(jdbc.sql("select count(*) from outbox where event_type = 'api_key.revoked'"
                                + " and payload -> 'data' ->> 'keyId' = ?")
                        .param(id)
                        .query(Long.class)
                        .single())
                .as("hot-path-service hears of it and drops its cached key")
                .isEqualTo(1);
    }

    @Test
    void theListShowsWhenHotPathLastSawAKey() {
        long userId = accounts.active(TestAccounts.uniqueEmail("used"));
        TestBrowser browser = signedIn(userId);
        browser.get(keys(userId));
        browser.open(create(browser, keys(userId), "used key", "content:read"));
        String id = jdbc.sql("select id from api_keys where user_id = ?")
                .param(userId)
                .query(String.class)
                .single();
        jdbc.sql("insert into api_key_usage (key_id, last_used_at) values (?, '2026-05-04 18:30:00+00')")
                .param(id)
                .update();

        assertThat(browser.get(keys(userId)).body()).contains("4 May 2026, 18:30 UTC");
    }

    @Test
    void nobodyRevokesAnotherAccountsKey() {
        long owner = accounts.active(TestAccounts.uniqueEmail("owner"));
        TestBrowser ownerBrowser = signedIn(owner);
        ownerBrowser.get(keys(owner));
        ownerBrowser.open(create(ownerBrowser, keys(owner), "mine", "content:read"));
        String id = jdbc.sql("select id from api_keys where user_id = ?")
                .param(owner)
                .query(String.class)
                .single();
        long intruderId = accounts.active(TestAccounts.uniqueEmail("intruder"));
        TestBrowser intruder = signedIn(intruderId);
        intruder.get(keys(intruderId));

        intruder.post(keys(intruderId) + "/" + id + "/revoke", Map.of());
        assertThat(intruder.post(keys(owner) + "/" + id + "/revoke", Map.of()).status())
                .as("another account's workspace is not found")
                .isEqualTo(404);

        assertThat(jdbc.sql("select revoked_at is null from api_keys where id = ?")
                        .param(id)
                        .query(Boolean.class)
                        .single())
                .isTrue();
    }

    @Test
    void unverifiedAccountsCannotCreateKeys() {
        String email = TestAccounts.uniqueEmail("pending");
        long userId = accounts.pending(email);
        TestBrowser browser = browser();
        browser.signIn(email, TestAccounts.PASSWORD);
        browser.get(keys(userId));

        Page refused = browser.post(keys(userId), Map.of("name", "nope", "scopes", "content:read"));

        assertThat(refused.body()).contains("Confirm your email address to create API keys");
        assertThat(jdbc.sql("select count(*) from api_keys where user_id = ?")
                        .param(userId)
                        .query(Long.class)
                        .single())
                .isZero();
    }

    /** The API keys page of the account's personal workspace. */
    private static String keys(long userId) {
        return "/w/personal-" + userId + "/api-keys";
    }

    private static String create(TestBrowser browser, String path, String name, String... scopes) {
        Page page = browser.postRaw(
                path,
                withScopes(Map.of("name", name, "_csrf", browser.csrfToken().orElseThrow()), scopes));
        assertThat(page.status()).as(page.body()).isEqualTo(302);
        return page.location().orElseThrow();
    }

    private static Map<String, String> withScopes(Map<String, String> form, String... scopes) {
        // A form with repeated "scopes" fields: encoded by hand as a comma-joined value Spring splits.
        Map<String, String> all = new java.util.LinkedHashMap<>(form);
        all.put("scopes", String.join(",", scopes));
        return all;
    }
}
