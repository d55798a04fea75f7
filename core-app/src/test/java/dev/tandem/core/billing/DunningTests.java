package dev.tandem.core.billing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tandem.core.Mailbox.Mail;
import dev.tandem.core.MovableClock;
import dev.tandem.core.TestAccounts;
import dev.tandem.core.Waits;
import dev.tandem.core.WebIntegrationTest;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.annotation.Import;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Dunning with the moving clock, end to end: a declined renewal falls past due and is tried on the
 * schedule (8 tries over 14 days by default), each failed try mails the billing contacts with the
 * link to fix the card, the last cancels the subscription; a new card in between collects at once,
 * makes the subscription active again and ends the tries.
 */
@Import(BillingClock.class)
class DunningTests extends WebIntegrationTest {

    @Autowired
    MovableClock clock;

    @Autowired
    BillingService billing;

    @Autowired
    Renewals renewals;

    @Autowired
    BillingProperties properties;

    @Autowired
    SubscriptionRepository subscriptions;

    @Autowired
    TransactionTemplate transaction;

    private TestAccounts accounts;
    private BillingFixtures fixtures;

    @BeforeEach
    void setUp() {
        accounts = new TestAccounts(jdbc);
        fixtures = new BillingFixtures(jdbc);
    }

    @Test
    void aDeclinedRenewalIsTriedOnTheScheduleWithAMailEachTimeAndTheLastTryCancels() {
        String contact = TestAccounts.uniqueEmail("dunning-contact");
        long workspace = activeWithDecliningCard("Dunning Co", contact);
        Instant firstTry = clock.instant();

        renewals.renewDue();

        assertThat(fixtures.status(workspace)).isEqualTo("past_due");
        long invoice = openInvoice(workspace);
        assertThat(dunning(invoice)).isEqualTo("1 open");
        Mail first = mailbox().await(contact, "Payment failed for Dunning Co");
        assertThat(first.text()).contains("This was try 1 of 8.", "Your card was declined.");
        assertThat(first.link("/billing")).endsWith("/billing");

        List<Duration> schedule = properties.dunningRetries();
        assertThat(schedule).hasSize(7).last().isEqualTo(Duration.ofDays(14));
        for (int retry = 0; retry < schedule.size(); retry++) {
            Instant due = firstTry.plus(schedule.get(retry));
            clock.advance(Duration.between(clock.instant(), due).minusMinutes(1));
            renewals.retryDue();
            assertThat(dunning(invoice)).as("a minute before try %d", retry + 2).isEqualTo((retry + 1) + " open");

            clock.advance(Duration.ofMinutes(1));
            renewals.retryDue();
            renewals.retryDue();
            if (retry < schedule.size() - 1) {
                assertThat(dunning(invoice)).isEqualTo((retry + 2) + " open");
                assertThat(fixtures.status(workspace)).isEqualTo("past_due");
            }
        }

        assertThat(dunning(invoice)).isEqualTo("8 exhausted");
        assertThat(fixtures.status(workspace)).as("canceled after the last try").isNull();
        assertThat(jdbc.sql("select count(*) from payments where invoice_id = ? and status = 'failed'")
                        .param(invoice)
                        .query(Long.class)
                        .single())
                .as("one charge per try")
                .isEqualTo(8);
        Mail last = mailbox().await(contact, "Subscription canceled for Dunning Co");
        assertThat(last.text()).contains("This was try 8 of 8.", "the subscription was canceled");
        await().atMost(Waits.PATIENCE)
                .untilAsserted(() -> assertThat(mailbox().to(contact))
                        .extracting(Mail::subject)
                        .filteredOn(subject -> subject.startsWith("Payment failed"))
                        .as("one mail for each of tries 1 to 7")
                        .hasSize(7));
        assertThat(mailbox().to(contact))
                .extracting(Mail::subject)
                .filteredOn(subject -> !subject.startsWith("Invoice "))
                .as("beside the invoices' own mails, only the eight about the tries")
                .hasSize(8);
    }

    @Test
    void aNewCardDuringDunningPaysAtOnceRestoresActiveAndStopsTheTries() {
        String contact = TestAccounts.uniqueEmail("recovered-contact");
        long workspace = activeWithDecliningCard("Recovery Co", contact);
        renewals.renewDue();
        long invoice = openInvoice(workspace);
        clock.advance(Duration.ofDays(1));
        renewals.retryDue();
        assertThat(dunning(invoice)).isEqualTo("2 open");

        billing.savePaymentMethod(workspace, "Recovery Co", SandboxPaymentProvider.SUCCEEDS);

        assertThat(fixtures.status(workspace)).isEqualTo("active");
        assertThat(dunning(invoice)).isEqualTo("2 recovered");
        assertThat(mailbox().await(contact, "Payment received for Recovery Co").text())
                .contains("is paid, and the subscription is active again");
        clock.advance(Duration.ofDays(3));
        renewals.retryDue();
        assertThat(dunning(invoice)).as("no try after the payment").isEqualTo("2 recovered");
        assertThat(jdbc.sql("select count(*) from payments where invoice_id = ?")
                        .param(invoice)
                        .query(Long.class)
                        .single())
                .isEqualTo(3);
    }

    @Test
    void afterAnOutageOfTheJobTheMissedTriesAreSpreadOutNotMadeAtOnce() {
        String contact = TestAccounts.uniqueEmail("outage-contact");
        long workspace = activeWithDecliningCard("Outage Co", contact);
        renewals.renewDue();
        long invoice = openInvoice(workspace);

        clock.advance(Duration.ofDays(5).plusMinutes(1));
        renewals.retryDue();

        assertThat(dunning(invoice)).as("one try, not the four missed").isEqualTo("2 open");
        clock.advance(Dunning.MIN_GAP.minusMinutes(1));
        renewals.retryDue();
        assertThat(dunning(invoice)).isEqualTo("2 open");
        clock.advance(Duration.ofMinutes(1));
        renewals.retryDue();
        assertThat(dunning(invoice)).isEqualTo("3 open");
    }

    @Test
    void anInvoiceWhoseCollectionNeverRanIsCollectedByTheJobTenMinutesLater() {
        long owner = accounts.active(TestAccounts.uniqueEmail("forgotten-owner"));
        long workspace = fixtures.workspace(owner, "Forgotten Co");
        fixtures.trialUsed(workspace);
        billing.savePaymentMethod(workspace, "Forgotten Co", SandboxPaymentProvider.SUCCEEDS);
        billing.subscribe(owner, workspace, fixtures.price("pro", "month"));
        clock.advance(
                Duration.between(clock.instant(), fixtures.periodEnd(workspace)).plusSeconds(1));
        // The renewal commits its invoice; the instance dies before collecting it.
        transaction.executeWithoutResult(
                status -> renewals.renew(subscriptions.lockLive(workspace).orElseThrow(), clock.instant()));
        long invoice = openInvoice(workspace);

        clock.advance(Duration.ofMinutes(9));
        renewals.collectForgotten();
        assertThat(invoiceStatus(invoice)).isEqualTo("open");

        clock.advance(Duration.ofMinutes(1));
        renewals.collectForgotten();
        assertThat(invoiceStatus(invoice)).isEqualTo("paid");
    }

    private String invoiceStatus(long invoice) {
        return jdbc.sql("select status from invoices where id = ?")
                .param(invoice)
                .query(String.class)
                .single();
    }

    /** An active, paid-up Pro workspace whose card declines from now on, its billing mail to {@code contact}. */
    private long activeWithDecliningCard(String name, String contact) {
        long owner = accounts.active(TestAccounts.uniqueEmail("dunning-owner"));
        long workspace = fixtures.workspace(owner, name);
        fixtures.trialUsed(workspace);
        billing.savePaymentMethod(workspace, name, SandboxPaymentProvider.SUCCEEDS);
        billing.subscribe(owner, workspace, fixtures.price("pro", "month"));
        billing.updateProfile(workspace, null, List.of(contact));
        billing.savePaymentMethod(workspace, name, SandboxPaymentProvider.CHARGES_DECLINED);
        clock.advance(
                Duration.between(clock.instant(), fixtures.periodEnd(workspace)).plusSeconds(1));
        return workspace;
    }

    private long openInvoice(long workspace) {
        return jdbc.sql("select id from invoices where workspace_id = ? and status = 'open'")
                .param(workspace)
                .query(Long.class)
                .single();
    }

    /** The invoice's dunning as "tries outcome" ("open" while it goes on). */
    private String dunning(long invoice) {
        return jdbc.sql("select tries || ' ' || coalesce(outcome, 'open') from dunning where invoice_id = ?")
                .param(invoice)
                .query(String.class)
                .optional()
                .orElse("none");
    }
}
