package dev.tandem.core.identity.account;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tandem.core.TestAccounts;
import dev.tandem.core.TestBrowser;
import dev.tandem.core.TestBrowser.Page;
import dev.tandem.core.WebIntegrationTest;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class PasswordResetTests extends WebIntegrationTest {

    private static final String NEW_PASSWORD = "a brand new passphrase";

    private TestAccounts accounts;

    @BeforeEach
    void setUp() {
        accounts = new TestAccounts(jdbc);
        jdbc.sql("delete from login_throttle").update();
    }

    @Test
    void answersTheSameWhetherOrNotTheAccountExists() {
        String known = TestAccounts.uniqueEmail("known");
        accounts.active(known);
        String unknown = TestAccounts.uniqueEmail("unknown");

        Page forKnown = request(browser(), known);
        Page forUnknown = request(browser(), unknown);

        assertThat(withoutVariableParts(forKnown.body(), known))
                .isEqualTo(withoutVariableParts(forUnknown.body(), unknown));
        assertThat(mailbox().await(known, "Reset your Tandem password")).isNotNull();
        assertThat(mailbox().to(unknown)).isEmpty();
    }

    @Test
    void theLinkSetsANewPasswordOnceAndEndsEverySession() {
        String email = TestAccounts.uniqueEmail("reset");
        accounts.active(email);
        TestBrowser other = browser();
        other.signIn(email, TestAccounts.PASSWORD);
        assertThat(other.get("/dashboard").status()).isEqualTo(200);
        TestBrowser browser = browser();
        request(browser, email);
        String link =
                VerificationTests.path(mailbox().await(email, "Reset your").link("/password/reset?token="));
        String token = VerificationTests.token(link);
        browser.get(link);

        Page reset = browser.post(
                "/password/reset", Map.of("token", token, "password", NEW_PASSWORD, "confirmation", NEW_PASSWORD));

        assertThat(reset.location().orElseThrow()).endsWith("/login?reset");
        assertThat(other.get("/dashboard").location().orElseThrow())
                .as("other session ended")
                .endsWith("/login");
        assertThat(browser().signIn(email, NEW_PASSWORD).location().orElseThrow())
                .endsWith("/dashboard");
        assertThat(browser().signIn(email, TestAccounts.PASSWORD).location().orElseThrow())
                .endsWith("?error");
        assertThat(browser.get(link).body()).as("the link works once").contains("no longer works");
        assertThat(mailbox().await(email, "password was changed")).isNotNull();
    }

    @Test
    void theNewPasswordMustPassThePolicy() {
        String email = TestAccounts.uniqueEmail("policy");
        accounts.active(email);
        TestBrowser browser = browser();
        request(browser, email);
        String link =
                VerificationTests.path(mailbox().await(email, "Reset your").link("/password/reset?token="));
        browser.get(link);

        Page page = browser.post(
                "/password/reset",
                Map.of("token", VerificationTests.token(link), "password", "password", "confirmation", "different"));

        assertThat(page.body())
                .contains("Use between 12 and 128 characters.")
                .contains("among the most common ones")
                .contains("The two passwords are not the same.");
    }

    @Test
    void anExpiredLinkIsRefused() {
        String email = TestAccounts.uniqueEmail("expired");
        accounts.active(email);
        request(browser(), email);
        String link =
                VerificationTests.path(mailbox().await(email, "Reset your").link("/password/reset?token="));
        jdbc.sql(
                        "update email_tokens set created_at = now() - interval '2 hours', expires_at = now() - interval '1 hour'"
                                + " where email = ? and purpose = 'RESET_PASSWORD'")
                .param(email)
                .update();

        assertThat(browser().get(link).body()).contains("no longer works");
    }

    private static Page request(TestBrowser browser, String email) {
        browser.get("/password/forgot");
        return browser.post("/password/forgot", Map.of("email", email));
    }

    private static String withoutVariableParts(String html, String email) {
        return html.replace(email, "EMAIL").replaceAll("name=\"_csrf\" value=\"[^\"]+\"", "");
    }
}
