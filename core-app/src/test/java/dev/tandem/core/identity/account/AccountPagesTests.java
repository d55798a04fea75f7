package dev.tandem.core.identity.account;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tandem.core.TestAccounts;
import dev.tandem.core.TestBrowser;
import dev.tandem.core.TestBrowser.Page;
import dev.tandem.core.WebIntegrationTest;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class AccountPagesTests extends WebIntegrationTest {

    private TestAccounts accounts;

    @BeforeEach
    void setUp() {
        accounts = new TestAccounts(jdbc);
        jdbc.sql("delete from login_throttle").update();
    }

    @Test
    void aNewDisplayNameIsAnEventForTheOtherServices() {
        String email = TestAccounts.uniqueEmail("rename");
        long id = accounts.active(email);
        TestBrowser browser = signedIn(email);
        browser.get("/account");

        browser.post("/account/profile", Map.of("displayName", "  New   Name "));

        assertThat(jdbc.sql("select display_name from users where id = ?")
                        .param(id)
                        .query(String.class)
                        .single())
                .isEqualTo("New Name");
        assertThat(jdbc.sql("select count(*) from outbox where event_type = 'user.updated'"
                                + " and payload -> 'data' ->> 'displayName' = 'New Name'"
                                + " and (payload -> 'data' ->> 'userId')::bigint = ?")
                        .param(id)
                        .query(Long.class)
                        .single())
                .isOne();
        assertThat(browser.get("/account").body()).contains("New Name");
    }

    @Test
    void aNewEmailAddressTakesEffectOnlyOnceConfirmed() {
        String email = TestAccounts.uniqueEmail("move");
        long id = accounts.active(email);
        String next = TestAccounts.uniqueEmail("moved");
        TestBrowser browser = signedIn(email);
        browser.get("/account");

        browser.post("/account/email", Map.of("email", next, "password", TestAccounts.PASSWORD));

        assertThat(email(id)).isEqualTo(email);
        assertThat(mailbox().await(email, "email address is changing")).isNotNull();
        String link = VerificationTests.path(
                mailbox().await(next, "Confirm your new email").link("/verify?token="));
        browser.get(link);
        browser.post("/verify", Map.of("token", VerificationTests.token(link)));
        assertThat(email(id)).isEqualTo(next);
    }

    @Test
    void changingTheEmailNeedsThePassword() {
        String email = TestAccounts.uniqueEmail("guard");
        accounts.active(email);
        TestBrowser browser = signedIn(email);
        browser.get("/account");

        Page page = browser.post("/account/email", Map.of("email", TestAccounts.uniqueEmail("x"), "password", "wrong"));

        assertThat(page.body()).contains("Your current password is not right.");
    }

    @Test
    void closingTheAccountErasesItAndTellsTheOtherServices() {
        String email = TestAccounts.uniqueEmail("leave");
        long id = accounts.active(email);
        TestBrowser browser = signedIn(email);
        browser.get("/account/delete");

        Page closed = browser.post("/account/delete", Map.of("password", TestAccounts.PASSWORD));

        assertThat(closed.location().orElseThrow()).contains("accountDeleted");
        var row = jdbc.sql("select email, display_name, status, password_hash from users where id = ?")
                .param(id)
                .query()
                .singleRow();
        assertThat(row.get("status")).isEqualTo("DELETED");
        assertThat(row.get("email")).isEqualTo("deleted-" + id + "@deleted.invalid");
        assertThat(row.get("password_hash")).isNull();
        assertThat(jdbc.sql("select count(*) from outbox where event_type = 'user.deleted'"
                                + " and (payload -> 'data' ->> 'userId')::bigint = ?")
                        .param(id)
                        .query(Long.class)
                        .single())
                .isOne();
        assertThat(browser.get("/dashboard").location().orElseThrow()).endsWith("/login");
        assertThat(browser().signIn(email, TestAccounts.PASSWORD).location().orElseThrow())
                .endsWith("?error");
    }

    @Test
    void theExportHasTheAccountAndWhatItWrote() {
        String email = TestAccounts.uniqueEmail("export");
        long id = accounts.active(email);
        jdbc.sql("insert into posts (author_id, title, body) values (?, 'Exported title', 'Exported body')")
                .param(id)
                .update();
        TestBrowser browser = signedIn(email);

        Page export = browser.get("/account/export");

        assertThat(export.status()).isEqualTo(200);
        assertThat(export.header("content-disposition")).contains("tandem-export-" + id + ".json");
        assertThat(export.body())
                .contains("\"email\":\"" + email + "\"")
                .contains("Exported title")
                .contains("\"slug\":\"personal-" + id + "\"");
    }

    private TestBrowser signedIn(String email) {
        TestBrowser browser = browser();
        browser.signIn(email, TestAccounts.PASSWORD);
        return browser;
    }

    private String email(long id) {
        return jdbc.sql("select email from users where id = ?")
                .param(id)
                .query(String.class)
                .single();
    }
}
