package dev.tandem.core.identity.mfa;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tandem.core.TestAccounts;
import dev.tandem.core.TestBrowser;
import dev.tandem.core.TestBrowser.Page;
import dev.tandem.core.WebIntegrationTest;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class MfaTests extends WebIntegrationTest {

    private static final Pattern SECRET = Pattern.compile("id=\"totp-secret\"[^>]*>([A-Z2-7 ]+)<");
    private static final Pattern RECOVERY = Pattern.compile("<code>([A-Z2-9]{5}-[A-Z2-9]{5})</code>");

    private TestAccounts accounts;

    @BeforeEach
    void setUp() {
        accounts = new TestAccounts(jdbc);
        jdbc.sql("delete from login_throttle").update();
    }

    @Test
    void aUserSetsUpAnAuthenticatorAndThenNeedsItToSignIn() {
        String email = TestAccounts.uniqueEmail("totp");
        accounts.active(email);
        TestBrowser browser = browser();
        browser.signIn(email, TestAccounts.PASSWORD);
        String secret = enroll(browser);
        browser.post("/logout", Map.of());

        browser.signIn(email, TestAccounts.PASSWORD);
        Page dashboard = browser.get("/dashboard");

        assertThat(dashboard.location().orElseThrow()).endsWith("/login/totp");
        browser.get("/login/totp");
        assertThat(browser.post("/login/totp", Map.of("code", "000000"))
                        .location()
                        .orElseThrow())
                .endsWith("/login/totp?error");
        Page second = browser.post("/login/totp", Map.of("code", codeFor(secret, 1)));
        assertThat(second.location().orElseThrow()).contains("/dashboard");
        assertThat(browser.get("/dashboard").status()).isEqualTo(200);
    }

    @Test
    void aCodeWorksOnlyOnce() {
        String email = TestAccounts.uniqueEmail("replay");
        accounts.active(email);
        TestBrowser browser = browser();
        browser.signIn(email, TestAccounts.PASSWORD);
        String secret = enroll(browser);
        browser.post("/logout", Map.of());
        String code = codeFor(secret, 1);
        browser.signIn(email, TestAccounts.PASSWORD);
        browser.get("/login/totp");
        browser.post("/login/totp", Map.of("code", code));
        browser.post("/logout", Map.of());

        browser.signIn(email, TestAccounts.PASSWORD);
        browser.get("/login/totp");
        Page replay = browser.post("/login/totp", Map.of("code", code));

        assertThat(replay.location().orElseThrow()).endsWith("/login/totp?error");
    }

    @Test
    void aRecoveryCodeStandsInForTheAppOnce() {
        String email = TestAccounts.uniqueEmail("recovery");
        accounts.active(email);
        TestBrowser browser = browser();
        browser.signIn(email, TestAccounts.PASSWORD);
        Page codes = enrollAndKeepCodes(browser);
        List<String> recoveryCodes =
                RECOVERY.matcher(codes.body()).results().map(m -> m.group(1)).toList();
        assertThat(recoveryCodes).hasSize(10).doesNotHaveDuplicates();
        browser.post("/logout", Map.of());

        browser.signIn(email, TestAccounts.PASSWORD);
        browser.get("/login/totp");
        assertThat(browser.post("/login/totp", Map.of("code", recoveryCodes.get(3)))
                        .location()
                        .orElseThrow())
                .contains("/dashboard");
        browser.post("/logout", Map.of());
        browser.signIn(email, TestAccounts.PASSWORD);
        browser.get("/login/totp");
        assertThat(browser.post("/login/totp", Map.of("code", recoveryCodes.get(3)))
                        .location()
                        .orElseThrow())
                .endsWith("?error");
    }

    @Test
    void staffMustSetUpASecondFactorBeforeAnythingElse() {
        String email = TestAccounts.uniqueEmail("staff");
        accounts.active(email, "STAFF");
        TestBrowser browser = browser();
        browser.signIn(email, TestAccounts.PASSWORD);

        assertThat(browser.get("/dashboard").location().orElseThrow()).endsWith("/account/mfa/setup?required");
        assertThat(browser.get("/account").location().orElseThrow()).endsWith("/account/mfa/setup?required");

        enroll(browser);
        assertThat(browser.get("/dashboard").status()).isEqualTo(200);
    }

    @Test
    void staffCannotTurnTheirSecondFactorOff() {
        String email = TestAccounts.uniqueEmail("keep");
        long id = accounts.active(email, "ADMIN");
        TestBrowser browser = browser();
        browser.signIn(email, TestAccounts.PASSWORD);
        enroll(browser);
        browser.get("/account/security");

        browser.post("/account/mfa/disable", Map.of());

        assertThat(jdbc.sql("select mfa_enabled_at is not null from users where id = ?")
                        .param(id)
                        .query(Boolean.class)
                        .single())
                .isTrue();
    }

    /** Sets up TOTP for the signed-in browser; returns the secret. */
    private String enroll(TestBrowser browser) {
        Page setup = browser.get("/account/mfa/setup");
        String secret = secretIn(setup);
        Page codes = browser.post("/account/mfa/setup", Map.of("code", codeFor(secret, 0)));
        assertThat(codes.status()).isEqualTo(200);
        assertThat(codes.body()).contains("recovery-codes");
        return secret;
    }

    private Page enrollAndKeepCodes(TestBrowser browser) {
        String secret = secretIn(browser.get("/account/mfa/setup"));
        return browser.post("/account/mfa/setup", Map.of("code", codeFor(secret, 0)));
    }

    private static String secretIn(Page setup) {
        Matcher matcher = SECRET.matcher(setup.body());
        assertThat(matcher.find()).as("the set-up page shows the secret").isTrue();
        return matcher.group(1).replace(" ", "");
    }

    /** The code of the step {@code offset} steps from now (codes are single-use, so later sign-ins use later steps). */
    static String codeFor(String secret, int offset) {
        return Totp.code(Base32.decode(secret), Totp.step(Instant.now()) + offset);
    }
}
