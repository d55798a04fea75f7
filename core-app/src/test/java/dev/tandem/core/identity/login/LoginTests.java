package dev.tandem.core.identity.login;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tandem.core.TestAccounts;
import dev.tandem.core.TestBrowser;
import dev.tandem.core.TestBrowser.Page;
import dev.tandem.core.WebIntegrationTest;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class LoginTests extends WebIntegrationTest {

    private TestAccounts accounts;

    @BeforeEach
    void setUp() {
        accounts = new TestAccounts(jdbc);
        jdbc.sql("delete from login_throttle").update();
    }

    @Test
    void signsInAndChangesTheSessionId() {
        String email = TestAccounts.uniqueEmail("ann");
        long id = accounts.active(email);
        TestBrowser browser = browser();
        browser.get("/login");
        String before = browser.cookie("TANDEM_SESSION").orElse("");

        Page signedIn = browser.post("/login", Map.of("email", email, "password", TestAccounts.PASSWORD));

        assertThat(signedIn.location())
                .hasValueSatisfying(url -> assertThat(url).endsWith("/dashboard"));
        assertThat(browser.cookie("TANDEM_SESSION")).isPresent().get().isNotEqualTo(before);
        assertThat(browser.get("/dashboard").status()).isEqualTo(200);
        assertThat(jdbc.sql("select last_login_at is not null from users where id = ?")
                        .param(id)
                        .query(Boolean.class)
                        .single())
                .isTrue();
    }

    @Test
    void aWrongPasswordAndAnUnknownEmailGetTheSameAnswer() {
        String email = TestAccounts.uniqueEmail("bob");
        accounts.active(email);

        Page wrongPassword = browser().signIn(email, "not the password at all");
        Page unknownEmail = browser().signIn(TestAccounts.uniqueEmail("nobody"), "not the password at all");

        assertThat(wrongPassword.location())
                .hasValueSatisfying(url -> assertThat(url).endsWith("/login?error"));
        assertThat(unknownEmail.location()).isEqualTo(wrongPassword.location());
    }

    @Test
    void repeatedFailuresSlowDownTheAccountWithoutLockingItForGood() {
        String email = TestAccounts.uniqueEmail("carol");
        accounts.active(email);
        for (int i = 0; i < 5; i++) {
            assertThat(browser().signIn(email, "wrong password " + i).location().orElseThrow())
                    .endsWith("?error");
        }

        Page sixth = browser().signIn(email, "wrong password 6");
        Page throttled = browser().signIn(email, TestAccounts.PASSWORD);

        assertThat(sixth.location().orElseThrow()).endsWith("?error");
        assertThat(throttled.location().orElseThrow()).contains("/login?throttled=");
        long wait = Long.parseLong(throttled.location().orElseThrow().replaceAll(".*throttled=", ""));
        assertThat(wait).isBetween(1L, 2L);
        assertThat(jdbc.sql("select blocked_until < now() + interval '15 minutes' from login_throttle where key = ?")
                        .param("account:" + email.toLowerCase())
                        .query(Boolean.class)
                        .single())
                .isTrue();
    }

    @Test
    void theFormSaysHowLongToWait() {
        Page form = browser().get("/login?throttled=8");

        assertThat(form.body()).contains("Try again in 8 seconds");
    }

    @Test
    void aDisabledAccountCannotSignIn() {
        String email = TestAccounts.uniqueEmail("dan");
        long id = accounts.active(email);
        accounts.setStatus(id, "DISABLED");

        assertThat(browser().signIn(email, TestAccounts.PASSWORD).location().orElseThrow())
                .endsWith("/login?disabled");
    }

    @Test
    void rehashesAPasswordMadeWithWeakerParametersAtSignIn() {
        String email = TestAccounts.uniqueEmail("eve");
        long id = accounts.withWeakHash(email);
        assertThat(accounts.passwordHash(id)).contains("m=4096,t=1");

        browser().signIn(email, TestAccounts.PASSWORD);

        assertThat(accounts.passwordHash(id)).startsWith("$argon2id$v=19$m=19456,t=2,p=1$");
    }

    @Test
    void rememberMeMakesTheSessionCookiePersistent() {
        String email = TestAccounts.uniqueEmail("fay");
        long id = accounts.active(email);
        TestBrowser browser = browser();
        browser.get("/login");

        Page signedIn =
                browser.post("/login", Map.of("email", email, "password", TestAccounts.PASSWORD, "remember-me", "on"));

        assertThat(signedIn.header("set-cookie")).contains("TANDEM_SESSION=").contains("Max-Age=");
        assertThat(jdbc.sql("select max_inactive_interval from spring_session where principal_name = ?")
                        .param(Long.toString(id))
                        .query(Integer.class)
                        .single())
                .as("kept alive for 30 days of inactivity")
                .isEqualTo(30 * 24 * 3600);
    }

    @Test
    void signingOutEndsTheSession() {
        String email = TestAccounts.uniqueEmail("gus");
        accounts.active(email);
        TestBrowser browser = browser();
        browser.signIn(email, TestAccounts.PASSWORD);
        browser.get("/dashboard");

        browser.post("/logout", Map.of());

        assertThat(browser.get("/dashboard").location().orElseThrow()).endsWith("/login");
    }
}
