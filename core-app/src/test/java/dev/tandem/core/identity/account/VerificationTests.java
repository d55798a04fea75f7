package dev.tandem.core.identity.account;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tandem.core.TestAccounts;
import dev.tandem.core.TestBrowser;
import dev.tandem.core.TestBrowser.Page;
import dev.tandem.core.WebIntegrationTest;
import java.util.Map;
import org.junit.jupiter.api.Test;

class VerificationTests extends WebIntegrationTest {

    @Test
    void theLinkShowsAConfirmationAndTheButtonVerifies() {
        String email = TestAccounts.uniqueEmail("vera");
        TestBrowser browser = browser();
        browser.get("/signup");
        browser.post("/signup", Map.of("email", email, "displayName", "Vera", "password", TestAccounts.PASSWORD));
        String link = path(mailbox().await(email, "Confirm your email").link("/verify?token="));

        Page confirm = browser.get(link);
        assertThat(confirm.status()).isEqualTo(200);
        assertThat(status(email)).as("a GET (a mail scanner) verifies nothing").isEqualTo("PENDING");

        Page verified = browser.post("/verify", Map.of("token", token(link)));

        assertThat(verified.location().orElseThrow()).endsWith("/login?verified");
        assertThat(status(email)).isEqualTo("ACTIVE");
        assertThat(jdbc.sql("select count(*) from outbox o join users u on (o.payload -> 'data' ->> 'userId')::bigint"
                                + " = u.id where u.email = ? and o.event_type = 'user.updated'")
                        .param(email)
                        .query(Long.class)
                        .single())
                .isOne();
    }

    @Test
    void aLinkWorksOnce() {
        String email = TestAccounts.uniqueEmail("once");
        TestBrowser browser = browser();
        browser.get("/signup");
        browser.post("/signup", Map.of("email", email, "displayName", "Once", "password", TestAccounts.PASSWORD));
        String token = token(mailbox().await(email, "Confirm your email").link("/verify?token="));
        browser.get("/verify?token=" + token);
        browser.post("/verify", Map.of("token", token));

        Page again = browser.post("/verify", Map.of("token", token));

        assertThat(again.status()).isEqualTo(200);
        assertThat(again.body()).contains("no longer works");
    }

    @Test
    void anExpiredLinkNoLongerWorks() {
        String email = TestAccounts.uniqueEmail("late");
        TestBrowser browser = browser();
        browser.get("/signup");
        browser.post("/signup", Map.of("email", email, "displayName", "Late", "password", TestAccounts.PASSWORD));
        String token = token(mailbox().await(email, "Confirm your email").link("/verify?token="));
        jdbc.sql("update email_tokens set created_at = now() - interval '3 days', expires_at = now() - interval '1 day'"
                        + " where email = ?")
                .param(email)
                .update();

        assertThat(browser.get("/verify?token=" + token).body()).contains("no longer works");
        assertThat(status(email)).isEqualTo("PENDING");
    }

    private String status(String email) {
        return jdbc.sql("select status from users where email = ?")
                .param(email)
                .query(String.class)
                .single();
    }

    static String path(String link) {
        return link.replaceFirst("^https?://[^/]+", "");
    }

    static String token(String link) {
        return link.substring(link.indexOf("token=") + "token=".length());
    }
}
