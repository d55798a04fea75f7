package dev.tandem.core.identity.account;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tandem.core.Mailbox;
import dev.tandem.core.TestAccounts;
import dev.tandem.core.TestBrowser;
import dev.tandem.core.TestBrowser.Page;
import dev.tandem.core.WebIntegrationTest;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SignUpTests extends WebIntegrationTest {

    @Test
    void createsAPendingAccountItsEventAndAVerificationMail() {
        String email = TestAccounts.uniqueEmail("ada");

        Page done = signUp(browser(), email, "  Ada   Lovelace ", "analytical engine 1843");

        assertThat(done.location().orElseThrow()).endsWith("/signup/done");
        var row = jdbc.sql("select id, display_name, status, role, password_hash from users where email = ?")
                .param(email)
                .query()
                .singleRow();
        assertThat(row.get("display_name")).isEqualTo("Ada Lovelace");
        assertThat(row.get("status")).isEqualTo("PENDING");
        assertThat(row.get("role")).isEqualTo("USER");
        assertThat((String) row.get("password_hash")).startsWith("$argon2id$v=19$m=19456,t=2,p=1$");
        assertThat(jdbc.sql("select count(*) from outbox where event_type = 'user.registered'"
                                + " and (payload -> 'data' ->> 'userId')::bigint = ?")
                        .param(row.get("id"))
                        .query(Long.class)
                        .single())
                .isOne();
        Mailbox.Mail mail = mailbox().await(email, "Confirm your email");
        assertThat(mail.link("/verify?token=")).startsWith("http://localhost:8080/verify?token=");
        assertThat(mail.text()).contains("/verify?token=");
    }

    @Test
    void showsEachInvalidFieldAndWritesNothing() {
        long usersBefore = count("users");

        Page page = signUp(browser(), "not-an-email", "", "short");

        assertThat(page.status()).isEqualTo(200);
        assertThat(page.body())
                .contains("Enter an email address like name@example.com.")
                .contains("Enter the name other people will see.")
                .contains("Use between 12 and 128 characters.")
                .contains("is-invalid");
        assertThat(count("users")).isEqualTo(usersBefore);
    }

    @Test
    void refusesCommonPasswordsAndOnesContainingTheEmail() {
        String email = TestAccounts.uniqueEmail("linus");

        assertThat(signUp(browser(), email, "Linus", "Password123456!").body()).contains("among the most common ones");
        assertThat(signUp(browser(), email, "Linus", "my address is " + email).body())
                .contains("must not contain your email address");
    }

    @Test
    void aSecondSignUpForAnAddressLooksTheSameAndMailsItsOwner() {
        String email = TestAccounts.uniqueEmail("grace");
        signUp(browser(), email, "Grace", "cobol compiler 1959");

        Page again = signUp(browser(), email.toUpperCase(), "Grace again", "another long password");

        assertThat(again.location().orElseThrow()).endsWith("/signup/done");
        assertThat(jdbc.sql("select count(*) from users where lower(email) = lower(?)")
                        .param(email)
                        .query(Long.class)
                        .single())
                .isOne();
        assertThat(mailbox().await(email, "Someone tried to sign up").link("/password/forgot"))
                .isNotBlank();
    }

    @Test
    void aPostWithoutCsrfTokenIsForbidden() {
        TestBrowser browser = browser();
        browser.get("/signup");

        Page forged = browser.postRaw(
                "/signup",
                Map.of(
                        "email",
                        TestAccounts.uniqueEmail("mallory"),
                        "displayName",
                        "M",
                        "password",
                        "a long password!"));

        assertThat(forged.status()).isEqualTo(403);
    }

    private static Page signUp(TestBrowser browser, String email, String name, String password) {
        browser.get("/signup");
        return browser.post("/signup", Map.of("email", email, "displayName", name, "password", password));
    }

    private long count(String table) {
        return jdbc.sql("select count(*) from " + table).query(Long.class).single();
    }
}
