package dev.tandem.systemtests;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A new user's first visit, in a real browser against the running system: sign up, open the
 * verification mail in the mail catcher and follow it, sign in, set up an authenticator app,
 * create an API key, sign out and back in with the second factor. Every page is saved as a
 * screenshot under {@code system-tests/target/screenshots/}.
 */
class BrowserJourneyTest {

    private static final String PASSWORD = "window seat over the alps";

    private static RunningStack stack;

    @BeforeAll
    static void startTheStack() throws Exception {
        stack = new RunningStack(EmbeddedStackTest.projectRoot());
        stack.awaitReady();
    }

    @AfterAll
    static void stopTheStack() throws Exception {
        if (stack != null) {
            stack.close();
        }
    }

    @Test
    void aNewUserSignsUpVerifiesSignsInTurnsOnTotpAndCreatesAnApiKey() throws Exception {
        String email = "journey-" + UUID.randomUUID().toString().substring(0, 8) + "@example.com";
        String core = stack.coreUrl();
        try (Browser browser = Browser.start(Path.of("target/screenshots"))) {
            browser.open(core + "/");
            browser.awaitText("Build the product");
            browser.screenshot("home");

            browser.open(core + "/signup");
            browser.type("#email", email);
            browser.type("#displayName", "Journey Tester");
            browser.type("#password", PASSWORD);
            browser.screenshot("signup");
            browser.click("main form button.btn-primary");
            browser.awaitPath("/signup/done");
            browser.screenshot("signup-done");

            browser.openUntil(stack.mailUrl() + "/", email);
            browser.screenshot("mail-inbox");
            browser.click("a[href^='/messages/']");
            browser.awaitText("Confirm");
            browser.screenshot("verification-mail");
            browser.click("a[href*='/verify?token=']");
            browser.awaitPath("/verify");
            browser.screenshot("verify");
            browser.click("main form button.btn-primary");
            browser.awaitPath("/login");
            browser.screenshot("login-after-verification");

            browser.type("#email", email);
            browser.type("#password", PASSWORD);
            browser.click("main form button.btn-primary");
            browser.awaitPath("/dashboard");
            browser.awaitText("Journey Tester");
            browser.screenshot("dashboard");

            browser.open(core + "/account/security");
            browser.screenshot("security");
            browser.open(core + "/account/mfa/setup");
            String secret = browser.text("#totp-secret");
            browser.screenshot("mfa-setup");
            browser.type("#code", Totp.code(secret, 0));
            browser.click("main form button.btn-primary");
            browser.awaitText("recovery codes");
            browser.screenshot("mfa-recovery-codes");

            browser.open(core + "/account/api-keys");
            browser.type("#key-name", "My laptop");
            browser.click("main form button.btn-primary");
            String key = browser.text("#new-api-key");
            assertThat(key).matches("tdm_[a-z0-9]{12}_[A-Za-z0-9_-]{43}");
            browser.screenshot("api-key-created");

            browser.open(core + "/account/sessions");
            browser.screenshot("sessions");
            browser.open(core + "/account");
            browser.screenshot("account");

            browser.click("form[action='/logout'] button");
            browser.awaitText("Build the product");
            browser.open(core + "/login");
            browser.type("#email", email);
            browser.type("#password", PASSWORD);
            browser.click("main form button.btn-primary");
            browser.awaitPath("/login/totp");
            browser.screenshot("login-second-factor");
            browser.type("#code", Totp.code(secret, 1));
            browser.click("main form button.btn-primary");
            browser.awaitPath("/dashboard");
            browser.screenshot("dashboard-after-second-factor");

            browser.open(core + "/pricing");
            browser.screenshot("pricing");
            browser.open(core + "/no-such-page");
            browser.screenshot("not-found");
        }
    }
}
