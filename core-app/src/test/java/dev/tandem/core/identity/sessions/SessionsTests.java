package dev.tandem.core.identity.sessions;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tandem.core.TestAccounts;
import dev.tandem.core.TestBrowser;
import dev.tandem.core.WebIntegrationTest;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class SessionsTests extends WebIntegrationTest {

    private TestAccounts accounts;

    @BeforeEach
    void setUp() {
        accounts = new TestAccounts(jdbc);
        jdbc.sql("delete from login_throttle").update();
    }

    @Test
    void sessionsAreKeptInTheDatabaseAndListedForTheirOwner() {
        String email = TestAccounts.uniqueEmail("two");
        long userId = accounts.active(email);
        TestBrowser laptop = browser();
        laptop.signIn(email, TestAccounts.PASSWORD);
        TestBrowser phone = browser();
        phone.signIn(email, TestAccounts.PASSWORD);

        String page = laptop.get("/account/sessions").body();

        assertThat(jdbc.sql("select count(*) from spring_session where principal_name = ?")
                        .param(Long.toString(userId))
                        .query(Long.class)
                        .single())
                .isEqualTo(2);
        assertThat(page).contains("This session").contains("127.0.0.1");
    }

    @Test
    void signingOutTheOtherSessionsEndsThemEverywhere() {
        String email = TestAccounts.uniqueEmail("others");
        accounts.active(email);
        TestBrowser laptop = browser();
        laptop.signIn(email, TestAccounts.PASSWORD);
        TestBrowser phone = browser();
        phone.signIn(email, TestAccounts.PASSWORD);
        assertThat(phone.get("/dashboard").status()).isEqualTo(200);

        laptop.get("/account/sessions");
        laptop.post("/account/sessions/revoke-others", Map.of());

        assertThat(phone.get("/dashboard").location().orElseThrow()).endsWith("/login");
        assertThat(laptop.get("/dashboard").status()).isEqualTo(200);
    }

    @Test
    void changingThePasswordEndsTheOtherSessions() {
        String email = TestAccounts.uniqueEmail("change");
        accounts.active(email);
        TestBrowser laptop = browser();
        laptop.signIn(email, TestAccounts.PASSWORD);
        TestBrowser phone = browser();
        phone.signIn(email, TestAccounts.PASSWORD);
        laptop.get("/account");

        laptop.post(
                "/account/password",
                Map.of(
                        "currentPassword", TestAccounts.PASSWORD,
                        "newPassword", "an entirely new passphrase",
                        "confirmation", "an entirely new passphrase"));

        assertThat(phone.get("/dashboard").location().orElseThrow()).endsWith("/login");
        assertThat(laptop.get("/dashboard").status()).isEqualTo(200);
    }
}
