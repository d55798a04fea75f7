package dev.tandem.core.billing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tandem.core.MovableClock;
import dev.tandem.core.TestAccounts;
import dev.tandem.core.TestBrowser;
import dev.tandem.core.TestBrowser.Page;
import dev.tandem.core.WebIntegrationTest;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.annotation.Import;

/**
 * The billing pages as a customer uses them, over HTTP with a real session: from the pricing page
 * through sign-up, a Pro trial on a sandbox card, an upgrade with its preview, to the invoice
 * listed with the total the proration rule gives. Viewers and members without the billing right
 * get 404.
 */
@Import(BillingClock.class)
class BillingPagesTests extends WebIntegrationTest {

    @Autowired
    MovableClock clock;

    @Autowired
    Renewals renewals;

    @Test
    void fromThePricingPageThroughATrialAndAnUpgradeToTheInvoice() {
        TestBrowser browser = browser();
        Page pricing = browser.get("/pricing");
        assertThat(pricing.body()).contains("Pro", "$19.00", "14-day free trial", "Start your free trial");
        assertThat(browser.get("/pricing?interval=year").body()).contains("$190.00", "$990.00");

        String email = TestAccounts.uniqueEmail("customer");
        browser.get("/signup");
        browser.post("/signup", Map.of("email", email, "displayName", "Cora", "password", TestAccounts.PASSWORD));
        String link = mailbox().await(email, "Confirm your email").link("/verify?token=");
        browser.post("/verify", Map.of("token", link.substring(link.indexOf("token=") + "token=".length())));
        browser.signIn(email, TestAccounts.PASSWORD);
        long account = jdbc.sql("select id from users where email = ?")
                .param(email)
                .query(Long.class)
                .single();
        String billing = "/w/personal-" + account + "/billing";

        assertThat(browser.get("/pricing").body()).contains("/billing?plan=pro&amp;interval=month");
        assertThat(browser.get("/billing?plan=pro&interval=month").location().orElseThrow())
                .endsWith(billing + "?plan=pro&interval=month");
        assertThat(browser.get(billing).body()).contains("The workspace is on Free", "No payment method yet.");

        assertThat(browser.post(billing + "/payment-method", Map.of("card", "4000 0000 0000 0002"))
                        .status())
                .isEqualTo(302);
        assertThat(browser.get(billing).body()).contains("Your card was declined.");
        browser.post(billing + "/payment-method", Map.of("card", "4242 4242 4242 4242"));
        assertThat(browser.get(billing).body())
                .contains("Visa ending in 4242", "Start 14-day trial")
                .containsPattern("name=\"price\" value=\"" + price("pro", "month") + "\"");

        browser.post(billing + "/subscribe", Map.of("price", Long.toString(price("pro", "month"))));
        Page trial = browser.get(billing);
        assertThat(trial.body())
                .contains("Your trial has started.", "trialing", "Next invoice", "Current plan")
                .contains("/billing/change?price=" + price("business", "month"));

        clock.advance(Duration.ofDays(14).plusSeconds(1));
        renewals.renewDue();
        Instant[] period = period(account);
        clock.advance(Duration.between(period[0], period[1]).dividedBy(2));

        Page preview = browser.get(billing + "/change?price=" + price("business", "month"));
        Proration proration = Proration.of(1900, 9900, period[0], period[1], clock.instant());
        assertThat(preview.body())
                .contains(
                        "Move from Pro to Business",
                        "Added to your next invoice",
                        Money.format(proration.net(), "USD"));
        browser.post(billing + "/change", Map.of("price", Long.toString(price("business", "month"))));
        assertThat(browser.get(billing).body()).contains("You are now on Business.");

        clock.advance(Duration.between(clock.instant(), period[1]));
        renewals.renewDue();

        Page invoices = browser.get(billing);
        String renewal = Money.format(9900 + proration.net(), "USD");
        assertThat(invoices.body()).contains("$19.00", renewal);
        String number = jdbc.sql("select i.number from invoices i join workspaces w on w.id = i.workspace_id"
                        + " where w.personal_for = ? order by i.id desc limit 1")
                .param(account)
                .query(String.class)
                .single();
        assertThat(browser.get(billing + "/invoices/" + number).body())
                .contains("Invoice " + number, "Unused time on Pro", "Remaining time on Business", renewal);
    }

    @Test
    void aMemberWithoutTheBillingRightGetsNotFound() {
        TestAccounts accounts = new TestAccounts(jdbc);
        long owner = accounts.active(TestAccounts.uniqueEmail("owner"));
        long member = accounts.active(TestAccounts.uniqueEmail("member"));
        String slug = "billing-" + Long.toHexString(System.nanoTime());
        long workspace = jdbc.sql("insert into workspaces (name, slug) values ('Billed', ?) returning id")
                .param(slug)
                .query(Long.class)
                .single();
        jdbc.sql("insert into workspace_members (workspace_id, user_id, role) values (?, ?, 'owner'), (?, ?, 'member')")
                .params(workspace, owner, workspace, member)
                .update();

        TestBrowser browser = signedIn(member);
        assertThat(browser.get("/w/" + slug + "/billing").status()).isEqualTo(404);
        TestBrowser ownerBrowser = signedIn(owner);
        assertThat(ownerBrowser
                        .postRaw("/w/" + slug + "/billing/payment-method", Map.of("card", "4242424242424242"))
                        .status())
                .as("a form post without its CSRF token")
                .isEqualTo(403);
        browser.get("/dashboard");
        assertThat(browser.post("/w/" + slug + "/billing/payment-method", Map.of("card", "4242424242424242"))
                        .status())
                .isEqualTo(404);
        assertThat(signedIn(owner).get("/w/" + slug + "/billing").status()).isEqualTo(200);
    }

    private long price(String plan, String interval) {
        return new BillingFixtures(jdbc).price(plan, interval);
    }

    private Instant[] period(long account) {
        return jdbc.sql(
                        "select s.current_period_start, s.current_period_end from subscriptions s"
                                + " join workspaces w on w.id = s.workspace_id where w.personal_for = ? and s.status <> 'canceled'")
                .param(account)
                .query((row, n) -> new Instant[] {
                    row.getTimestamp(1).toInstant(), row.getTimestamp(2).toInstant()
                })
                .single();
    }
}
