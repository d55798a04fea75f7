package dev.tandem.systemtests;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A new user's first visit, in a real browser against the running system: sign up, open the
 * verification mail in the mail catcher and follow it, sign in, set up an authenticator app,
 * create an API key, sign out and back in with the second factor. Every page is saved as a
 * screenshot under {@code system-tests/target/screenshots/}.
 */
// A browser, child processes and the network: a hang ends with a thread dump, not at CI's limit.
@Timeout(value = 5, unit = TimeUnit.MINUTES)
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
    void aNewUserSignsUpVerifiesSignsInTurnsOnTotpCreatesAnApiKeyAndPosts() throws Exception {
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

            // The key works on hot-path-service, which checks it against core-app's table.
            HttpResponse<String> me = api(stack.hotPathUrl() + "/api/v1/me", key);
            assertThat(me.statusCode()).as(me.body()).isEqualTo(200);
            assertThat(me.body()).contains(email).contains("\"authenticatedWith\":\"api-key\"");

            // Content: the web form writes through hot-path's API as this user; the pages read it back.
            browser.open(core + "/posts");
            browser.screenshot("my-posts-empty");
            browser.type("#title", "Hello from the journey");
            browser.type("#body", "Written in a browser, stored by hot-path-service.");
            browser.click("#new-post button.btn-primary");
            browser.awaitText("Your post is published.");
            browser.type("#comment-body", "And a first comment.");
            browser.click("#new-comment button.btn-primary");
            browser.awaitText("Your comment is posted.");
            browser.awaitText("And a first comment.");
            browser.screenshot("post-with-comment");
            browser.open(core + "/posts");
            browser.awaitText("1 comment");
            browser.screenshot("my-posts");
            long userId = Long.parseLong(me.body().replaceAll(".*\"id\":(\\d+).*", "$1"));
            HttpResponse<String> posts =
                    api(stack.hotPathUrl() + "/api/v1/users/" + userId + "/posts?include=comments", key);
            assertThat(posts.statusCode()).as(posts.body()).isEqualTo(200);
            assertThat(posts.body()).contains("Hello from the journey").contains("And a first comment.");

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

    /**
     * A team forms: an owner signs up and renames the personal workspace, invites a colleague by
     * mail; the colleague opens the mail's link, signs up from it, confirms the address and joins,
     * and sees the workspace in the switcher; the owner changes the colleague's role, then removes
     * them. Screenshots go to {@code system-tests/target/screenshots/workspaces/}.
     */
    @Test
    void anOwnerInvitesAColleagueWhoSignsUpFromTheMailJoinsAndIsThenRemoved() throws Exception {
        String core = stack.coreUrl();
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        String owner = "owner-" + suffix + "@example.com";
        String colleague = "colleague-" + suffix + "@example.com";
        String team = "Team " + suffix;
        try (Browser browser = Browser.start(Path.of("target/screenshots/workspaces"))) {
            signUpAndSignIn(browser, core, owner, "Olive Owner");

            browser.open(core + "/workspaces");
            browser.awaitText("Your workspaces");
            browser.screenshot("workspaces");
            browser.click("main table a[href^='/w/personal-']");
            browser.awaitPath("/members");
            browser.click(".account-nav a[href$='/settings']");
            browser.awaitPath("/settings");
            browser.type("#workspace-name", team);
            browser.click("main form button.btn-primary");
            browser.awaitText("Settings saved.");
            browser.screenshot("settings-renamed");
            assertThat(browser.text(".workspace-switcher .workspace-name")).isEqualTo(team);

            browser.click(".account-nav a[href$='/members']");
            browser.type("#invite-email", colleague);
            browser.select("#invite-role", "member");
            browser.click("main form[action$='/invitations'] button");
            browser.awaitText("Invitation sent to " + colleague);
            browser.screenshot("members-invited");
            String members = browser.url();
            browser.click("form[action='/logout'] button");
            browser.awaitText("Build the product");

            browser.openMail(stack.mailUrl() + "/", colleague, "invited you to " + team);
            browser.awaitText("Accept the invitation");
            browser.screenshot("invitation-mail");
            browser.click("a[href*='/invitations/']");
            browser.awaitPath("/invitations/");
            browser.awaitText("Create an account");
            browser.screenshot("invitation-signed-out");
            String invitation = browser.url();
            browser.click("main a[href^='/signup']");
            browser.awaitPath("/signup");
            assertThat(browser.attribute("#email", "value")).isEqualTo(colleague);
            browser.type("#displayName", "Cleo Colleague");
            browser.type("#password", PASSWORD);
            browser.click("main form button.btn-primary");
            browser.awaitPath("/signup/done");
            verifyAndSignIn(browser, colleague);

            browser.open(invitation);
            browser.awaitText("Join");
            browser.screenshot("invitation-signed-in");
            browser.click("main form[action$='/accept'] button");
            browser.awaitText("Welcome to " + team);
            browser.screenshot("joined");
            assertThat(browser.text(".workspace-switcher .workspace-name")).isEqualTo(team);
            browser.click(".workspace-switcher .dropdown-toggle");
            browser.awaitText("Switch workspace");
            browser.screenshot("switcher");
            browser.click("form[action='/logout'] button");
            browser.awaitText("Build the product");

            browser.open(core + "/login");
            browser.type("#email", owner);
            browser.type("#password", PASSWORD);
            browser.click("main form button.btn-primary");
            browser.awaitPath("/dashboard");
            browser.open(members);
            browser.awaitText("Cleo Colleague");
            browser.select("main form[action$='/role'] select", "admin");
            browser.click("main form[action$='/role'] button");
            browser.awaitText("Role changed.");
            assertThat(browser.attribute("main form[action$='/role'] select option[selected]", "value"))
                    .isEqualTo("admin");
            browser.screenshot("role-changed");
            browser.click("main form[action$='/remove'] button");
            browser.awaitText("Member removed.");
            browser.screenshot("member-removed");
            assertThat(browser.text("main")).doesNotContain("Cleo Colleague");
        }
    }

    /**
     * A customer pays: from the pricing page to the billing page of their workspace, a declined
     * card refused, a sandbox card saved, a Pro trial started; when the trial ends (moved to now in
     * the database; the stack renews every second) the first invoice is listed with its tax; the
     * upgrade to Business is previewed with its proration and confirmed. Screenshots go to {@code
     * system-tests/target/screenshots/billing/}.
     */
    @Test
    void aCustomerStartsATrialOnASandboxCardPaysTheFirstInvoiceAndUpgradesWithAPreview() throws Exception {
        String core = stack.coreUrl();
        String email = "customer-" + UUID.randomUUID().toString().substring(0, 8) + "@example.com";
        try (Browser browser = Browser.start(Path.of("target/screenshots/billing"))) {
            browser.open(core + "/pricing");
            browser.awaitText("Start your free trial");
            browser.screenshot("pricing-signed-out");
            browser.click("a[href='/signup']");
            browser.awaitPath("/signup");
            signUpAndSignIn(browser, core, email, "Casey Customer");

            browser.open(core + "/pricing?interval=month");
            browser.click("a[href*='/billing?plan=pro']");
            browser.awaitPath("/billing");
            browser.awaitText("The workspace is on Free");
            String billing = browser.url().replaceAll("\\?.*", "");

            browser.type("#card", "4000 0000 0000 0002");
            browser.click("#payment-method button");
            browser.awaitText("Your card was declined.");
            browser.type("#card", "4242 4242 4242 4242");
            browser.click("#payment-method button");
            browser.awaitText("Visa ending in 4242 saved.");
            browser.type("#country", "DE");
            browser.click("#details button");
            browser.awaitText("Billing details saved.");
            browser.screenshot("billing-card-saved");
            browser.click("#plans form[action$='/subscribe'] button");
            browser.awaitText("Your trial has started.");
            browser.screenshot("billing-trial");

            try (var db = stack.database();
                    var end = db.prepareStatement("""
                            update subscriptions s set billing_anchor = now() - interval '10 days',
                                trial_end = now() - interval '10 days', current_period_end = now() - interval '10 days',
                                current_period_start = now() - interval '24 days'
                            from workspaces w join users u on u.id = w.personal_for
                            where s.workspace_id = w.id and u.email = ? and s.status = 'trialing'
                            """)) {
                end.setString(1, email);
                assertThat(end.executeUpdate()).isOne();
            }
            browser.openUntil(billing, "$22.61"); // Pro's $19.00 and 19 % German VAT
            browser.screenshot("billing-first-invoice");

            browser.click("#plans a[href*='/billing/change?price=']");
            browser.awaitText("Move from Pro to Business");
            browser.awaitText("Added to your next invoice");
            browser.screenshot("change-preview");
            browser.click("main form[action$='/billing/change'] button");
            browser.awaitText("You are now on Business.");
            browser.screenshot("billing-business");
            assertThat(browser.text("#next-invoice")).contains("Unused time on Pro", "Remaining time on Business");

            browser.click("#invoices a[href*='/billing/invoices/']");
            browser.awaitText("Tax (19 %, DE)");
            assertThat(browser.text("main")).contains("Pro (monthly)", "$22.61");
            browser.screenshot("invoice");
        }
    }

    /** Signs up through the form, follows the verification mail and signs in. */
    private void signUpAndSignIn(Browser browser, String core, String email, String name) {
        browser.open(core + "/signup");
        browser.type("#email", email);
        browser.type("#displayName", name);
        browser.type("#password", PASSWORD);
        browser.click("main form button.btn-primary");
        browser.awaitPath("/signup/done");
        verifyAndSignIn(browser, email);
    }

    /** Opens the newest verification mail to {@code email}, confirms, and signs in. */
    private void verifyAndSignIn(Browser browser, String email) {
        browser.openMail(stack.mailUrl() + "/", email, "Confirm your email");
        browser.click("a[href*='/verify?token=']");
        browser.awaitPath("/verify");
        browser.click("main form button.btn-primary");
        browser.awaitPath("/login");
        browser.type("#email", email);
        browser.type("#password", PASSWORD);
        browser.click("main form button.btn-primary");
        browser.awaitPath("/dashboard");
    }

    /**
     * Staff at work in the admin: the demo admin signs in and sets up the second factor the admin
     * demands, searches and filters the posts, holds two of them with a bulk action (after its
     * confirmation page), exports the filtered list as CSV, edits a post into a validation error
     * and out of it, reads its history and the ops page, and turns on dark mode from the keyboard.
     * Screenshots go to {@code system-tests/target/screenshots/admin/}.
     */
    @Test
    void staffSearchFilterEditActOnAndExportPostsInTheAdmin() throws Exception {
        String core = stack.coreUrl();
        try (Browser browser = Browser.start(Path.of("target/screenshots/admin"))) {
            browser.open(core + "/login");
            browser.type("#email", dev.tandem.devstack.DemoData.ADMIN.email());
            browser.type("#password", dev.tandem.devstack.DemoData.ADMIN.password());
            browser.click("main form button.btn-primary");
            browser.awaitPath("/account/mfa/setup");
            String secret = browser.text("#totp-secret");
            browser.type("#code", Totp.code(secret, 0));
            browser.click("main form button.btn-primary");
            browser.awaitText("recovery codes");

            browser.open(core + "/admin");
            browser.awaitText("Site administration");
            browser.screenshot("admin-home");

            browser.open(core + "/admin/post");
            browser.awaitText("Hello from Tandem");
            browser.screenshot("post-list");
            browser.press("/");
            assertThat(browser.focused("#search")).as("/ focuses the search").isTrue();
            browser.type("#search", "services");
            browser.click(".admin-search button[type=submit]");
            browser.awaitPath("q=services");
            browser.awaitText("Two services, one schema");
            assertThat(browser.text("#result-count")).startsWith("1 of");
            browser.screenshot("post-search");

            browser.open(core + "/admin/post");
            browser.click("tr.admin-row:nth-child(1) input.row-check");
            browser.click("tr.admin-row:nth-child(2) input.row-check");
            browser.select("#action", "hold");
            browser.click("#run-action");
            browser.awaitText("Hold selected posts for review?");
            browser.screenshot("bulk-action-confirm");
            browser.click("#confirm-action");
            browser.awaitText("Marked 2 as held.");
            browser.screenshot("bulk-action-done");

            browser.click("#filter-moderation a[href*='f.moderation=held']");
            browser.awaitPath("f.moderation=held");
            assertThat(browser.text("#result-count")).startsWith("2 of");
            browser.screenshot("post-filter-held");
            String export = browser.attribute("#export-csv", "href");
            assertThat(export).contains("f.moderation=held");
            HttpResponse<String> csv = withCookies(core + export, browser.cookieHeader());
            assertThat(csv.statusCode()).isEqualTo(200);
            assertThat(csv.body().lines().toList())
                    .hasSize(3)
                    .allSatisfy(line -> assertThat(line).doesNotContain(",visible,"));
            assertThat(csv.body().lines().skip(1))
                    .allSatisfy(line -> assertThat(line).contains(",held,"));

            browser.click("tr.admin-row:nth-child(1) a.row-link");
            browser.awaitText("Change post");
            String post = browser.url();
            browser.type("#title", " ");
            browser.click("#save");
            browser.awaitText("Please correct the errors below.");
            assertThat(browser.text("#title-error")).isNotBlank();
            browser.screenshot("post-validation-error");
            browser.type("#title", "Edited by staff");
            browser.select("#moderation", "visible");
            browser.click("#save");
            browser.awaitText("The post was changed.");
            browser.awaitText("Edited by staff");
            browser.screenshot("post-saved");

            browser.open(post);
            browser.click("#history");
            browser.awaitPath("/history");
            browser.awaitText("Edited by staff");
            browser.screenshot("post-history");

            browser.open(core + "/admin/ops");
            browser.awaitText("hot-path-service");
            browser.screenshot("ops");
            browser.press("d");
            browser.screenshot("ops-dark");
            browser.open(core + "/admin/user");
            browser.awaitText("demo@tandem.dev");
            browser.screenshot("user-list-dark");
        }
    }

    private static HttpResponse<String> withCookies(String url, String cookies) throws Exception {
        try (HttpClient client =
                HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()) {
            return client.send(
                    HttpRequest.newBuilder(URI.create(url))
                            .header("Cookie", cookies)
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
        }
    }

    private static HttpResponse<String> api(String url, String bearer) throws Exception {
        try (HttpClient client =
                HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()) {
            return client.send(
                    HttpRequest.newBuilder(URI.create(url))
                            .header("Authorization", "Bearer " + bearer)
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
        }
    }
}
