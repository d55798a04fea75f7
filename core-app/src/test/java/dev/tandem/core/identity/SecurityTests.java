package dev.tandem.core.identity;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tandem.core.TestAccounts;
import dev.tandem.core.TestBrowser;
import dev.tandem.core.TestBrowser.Page;
import dev.tandem.core.WebIntegrationTest;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The rules every page obeys, checked over real HTTP. */
class SecurityTests extends WebIntegrationTest {

    @Test
    void privatePagesSendVisitorsToSignIn() {
        for (String path : new String[] {"/dashboard", "/account", "/account/sessions", "/account/api-keys"}) {
            assertThat(browser().get(path).location().orElseThrow()).as(path).endsWith("/login");
        }
    }

    @Test
    void everyResponseCarriesTheSecurityHeaders() {
        for (String path : new String[] {"/", "/login", "/signup", "/pricing", "/dashboard", "/no-such-page"}) {
            Page page = browser().get(path);

            assertThat(page.header("content-security-policy"))
                    .as(path)
                    .contains("default-src 'self'")
                    .contains("script-src 'self'")
                    .contains("frame-ancestors 'none'")
                    .doesNotContain("unsafe-inline");
            assertThat(page.header("x-content-type-options")).as(path).isEqualTo("nosniff");
            assertThat(page.header("x-frame-options")).as(path).isEqualTo("DENY");
            assertThat(page.header("referrer-policy")).as(path).isEqualTo("strict-origin-when-cross-origin");
        }
    }

    @Test
    void aSignedInUserGetsA404PageWithTheHeaders() {
        String email = TestAccounts.uniqueEmail("lost");
        new TestAccounts(jdbc).active(email);
        TestBrowser browser = browser();
        browser.signIn(email, TestAccounts.PASSWORD);

        Page missing = browser.get("/no-such-page");

        assertThat(missing.status()).isEqualTo(404);
        assertThat(missing.body()).contains("We could not find that page");
        assertThat(missing.header("content-security-policy")).contains("default-src 'self'");
    }

    @Test
    void everyFormNeedsItsCsrfToken() {
        String email = TestAccounts.uniqueEmail("csrf");
        new TestAccounts(jdbc).active(email);
        TestBrowser browser = browser();
        browser.signIn(email, TestAccounts.PASSWORD);

        for (String path : new String[] {"/account/profile", "/account/password", "/logout", "/login"}) {
            assertThat(browser.postRaw(path, Map.of("displayName", "x")).status())
                    .as(path)
                    .isEqualTo(403);
        }
    }

    @Test
    void theSessionCookieIsHttpOnlyAndSameSite() {
        TestBrowser browser = browser();

        Page page = browser.get("/login");

        assertThat(page.header("set-cookie"))
                .contains("TANDEM_SESSION=")
                .contains("HttpOnly")
                .contains("SameSite=Lax");
    }
}
