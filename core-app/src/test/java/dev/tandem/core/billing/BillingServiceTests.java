package dev.tandem.core.billing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

import dev.tandem.core.IntegrationTest;
import dev.tandem.core.MovableClock;
import dev.tandem.core.TestAccounts;
import dev.tandem.core.billing.PaymentProvider.Outcome;
import dev.tandem.core.identity.workspaces.WorkspaceService;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Billing against the real database: trials, first payments, declines and the customer's action,
 * proration written as adjustments and invoiced once, refusals below current use, the renewal job
 * run twice and by two threads at once, a plan change racing a renewal, and the invoices' rules.
 */
@Import(BillingClock.class)
class BillingServiceTests extends IntegrationTest {

    @Autowired
    JdbcClient jdbc;

    @Autowired
    MovableClock clock;

    @Autowired
    BillingService billing;

    @Autowired
    Renewals renewals;

    @Autowired
    Payments payments;

    @Autowired
    SandboxPaymentProvider sandbox;

    @Autowired
    WorkspaceService workspaces;

    @Autowired
    StaffBilling staff;

    private TestAccounts accounts;
    private BillingFixtures fixtures;

    @BeforeEach
    void setUp() {
        accounts = new TestAccounts(jdbc);
        fixtures = new BillingFixtures(jdbc);
    }

    @Test
    void aTrialEndsInTheFirstInvoiceAtThePlansPriceAndTheEventIsPublished() {
        long owner = accounts.active(TestAccounts.uniqueEmail("trial"));
        long workspace = workspace(owner);
        billing.savePaymentMethod(workspace, "Trial Co", SandboxPaymentProvider.SUCCEEDS);

        assertThat(billing.subscribe(owner, workspace, price("pro", "month"))).isEmpty();
        assertThat(status(workspace)).isEqualTo("trialing");
        assertThat(invoiceTotals(workspace)).isEmpty();
        assertThat(eventsAbout(workspace)).containsExactly("none->trialing pro");

        clock.advance(Duration.ofDays(14).plusSeconds(1));
        renewals.renewDue();

        assertThat(status(workspace)).isEqualTo("active");
        assertThat(invoiceTotals(workspace)).containsExactly(1900L);
        assertThat(jdbc.sql("select status from invoices where workspace_id = ?")
                        .param(workspace)
                        .query(String.class)
                        .single())
                .isEqualTo("paid");
        assertThat(eventsAbout(workspace)).containsExactly("none->trialing pro", "trialing->active pro");
    }

    @Test
    void aSecondSubscriptionHasNoTrialAndIsIncompleteUntilItsFirstPaymentNeedsAndGetsTheCustomersAction() {
        long owner = accounts.active(TestAccounts.uniqueEmail("action"));
        long workspace = workspace(owner);
        billing.savePaymentMethod(workspace, "Action Co", SandboxPaymentProvider.REQUIRES_ACTION);
        billing.subscribe(owner, workspace, price("pro", "month"));
        billing.cancel(owner, workspace);
        clock.advance(Duration.ofDays(15));
        renewals.renewDue();
        assertThat(status(workspace)).isNull();

        var payment = billing.subscribe(owner, workspace, price("pro", "month")).orElseThrow();

        assertThat(payment.outcome()).isEqualTo(Outcome.REQUIRES_ACTION);
        assertThat(payment.actionUrl()).startsWith("/billing/sandbox/pi_sandbox_");
        assertThat(status(workspace)).isEqualTo("incomplete");
        assertThatThrownBy(() -> billing.preview(workspace, price("business", "month")))
                .as("a plan change waits for the first payment")
                .hasMessage("Complete the first payment before changing plan.");

        clock.advance(Duration.ofDays(32));
        renewals.renewDue();
        assertThat(status(workspace))
                .as("a first payment never made ends the subscription")
                .isNull();
        assertThat(jdbc.sql("select string_agg(status, ',') from invoices where workspace_id = ?")
                        .param(workspace)
                        .query(String.class)
                        .single())
                .isEqualTo("void");
    }

    @Test
    void aCustomersActionCompletesTheFirstPayment() {
        long owner = accounts.active(TestAccounts.uniqueEmail("completes"));
        long workspace = workspace(owner);
        startWithoutTrial(owner, workspace, SandboxPaymentProvider.REQUIRES_ACTION);
        String intent = jdbc.sql("select p.intent_ref from payments p join invoices i on i.id = p.invoice_id"
                        + " where i.workspace_id = ?")
                .param(workspace)
                .query(String.class)
                .single();

        sandbox.complete(intent);
        assertThat(payments.refresh(workspace, intent).orElseThrow().outcome()).isEqualTo(Outcome.SUCCEEDED);

        assertThat(status(workspace)).isEqualTo("active");
        assertThat(payments.refresh(workspace, intent)).as("recorded once").isEmpty();
    }

    @Test
    void aDeclinedCardIsRefusedWithTheReasonAndSavesNothing() {
        long owner = accounts.active(TestAccounts.uniqueEmail("declined"));
        long workspace = workspace(owner);

        assertThatThrownBy(() -> billing.savePaymentMethod(workspace, "Declined Co", SandboxPaymentProvider.DECLINED))
                .isInstanceOf(BillingRuleException.class)
                .hasMessage("Your card was declined.");
        assertThatThrownBy(() -> billing.subscribe(owner, workspace, price("pro", "month")))
                .hasMessage("Add a payment method first.");
        assertThat(status(workspace)).isNull();
    }

    @Test
    void aRenewalThatCannotBeCollectedMakesTheSubscriptionPastDueAndANewCardRestoresIt() {
        long owner = accounts.active(TestAccounts.uniqueEmail("pastdue"));
        long workspace = workspace(owner);
        startWithoutTrial(owner, workspace, SandboxPaymentProvider.SUCCEEDS);
        billing.savePaymentMethod(workspace, "Past Due Co", SandboxPaymentProvider.CHARGES_DECLINED);

        clock.advance(Duration.ofDays(32));
        renewals.renewDue();
        assertThat(status(workspace)).isEqualTo("past_due");
        assertThatThrownBy(() -> billing.changePlan(owner, workspace, price("business", "month")))
                .hasMessage("Pay the open invoice before changing plan.");

        billing.savePaymentMethod(workspace, "Past Due Co", SandboxPaymentProvider.SUCCEEDS);

        assertThat(status(workspace)).isEqualTo("active");
        assertThat(jdbc.sql("select count(*) from invoices where workspace_id = ? and status = 'paid'")
                        .param(workspace)
                        .query(Long.class)
                        .single())
                .isEqualTo(2);
    }

    @Test
    void anUpgradeIsProratedToTheSecondAndInvoicedOnceWithTaxAtRenewal() {
        long owner = accounts.active(TestAccounts.uniqueEmail("upgrade"));
        long workspace = workspace(owner);
        startWithoutTrial(owner, workspace, SandboxPaymentProvider.SUCCEEDS);
        billing.updateProfile(workspace, "DE", List.of("billing@example.com"));
        Instant[] period = period(workspace);
        clock.advance(Duration.between(period[0], period[1]).dividedBy(3));

        var preview = billing.preview(workspace, price("business", "month"));
        var change = billing.changePlan(owner, workspace, price("business", "month"));

        Proration expected = Proration.of(1900, 9900, period[0], period[1], clock.instant());
        assertThat(change.proration()).contains(expected);
        assertThat(preview.proration()).contains(expected);
        assertThat(jdbc.sql(
                                "select sum(amount) from billing_adjustments s join subscriptions u on u.id = s.subscription_id"
                                        + " where u.workspace_id = ? and s.invoice_id is null")
                        .param(workspace)
                        .query(Long.class)
                        .single())
                .isEqualTo(expected.net());

        clock.advance(Duration.between(clock.instant(), period[1]));
        renewals.renewDue();

        long subtotal = 9900 + expected.net();
        assertThat(invoiceTotals(workspace)).containsExactly(1900L, subtotal + Money.percent(subtotal, 1900));
        assertThat(jdbc.sql(
                                "select count(*) from billing_adjustments a join subscriptions s on s.id = a.subscription_id"
                                        + " where s.workspace_id = ? and a.invoice_id is null")
                        .param(workspace)
                        .query(Long.class)
                        .single())
                .isZero();
    }

    @Test
    void movingFromMonthlyToYearlyCreditsTheUnusedMonthAndInvoicesTheYearAtOnce() {
        long owner = accounts.active(TestAccounts.uniqueEmail("yearly"));
        long workspace = workspace(owner);
        startWithoutTrial(owner, workspace, SandboxPaymentProvider.SUCCEEDS);
        Instant[] month = period(workspace);
        clock.advance(Duration.between(month[0], month[1]).dividedBy(2));
        Instant now = clock.instant();

        var change = billing.changePlan(owner, workspace, price("pro", "year"));

        assertThat(change.periodRestarted()).isTrue();
        Proration credit = Proration.of(1900, 0, month[0], month[1], now);
        assertThat(change.proration()).contains(credit);
        Instant[] year = period(workspace);
        // PostgreSQL keeps microseconds.
        assertThat(year[0]).isCloseTo(now, within(1, ChronoUnit.MICROS));
        assertThat(year[1]).isCloseTo(BillingInterval.YEAR.boundary(now, 1), within(1, ChronoUnit.MICROS));
        assertThat(invoiceTotals(workspace)).containsExactly(1900L, 19000L + credit.net());
    }

    @Test
    void duringATrialAChangeOfPlanProratesNothingAndTheTrialsEndInvoicesTheNewPlan() {
        long owner = accounts.active(TestAccounts.uniqueEmail("trialchange"));
        long workspace = workspace(owner);
        billing.savePaymentMethod(workspace, "Trial Change Co", SandboxPaymentProvider.SUCCEEDS);
        billing.subscribe(owner, workspace, price("pro", "month"));
        clock.advance(Duration.ofDays(3));

        var change = billing.changePlan(owner, workspace, price("business", "month"));

        assertThat(change.proration()).isEmpty();
        assertThat(status(workspace)).isEqualTo("trialing");
        clock.advance(Duration.ofDays(11).plusSeconds(1));
        renewals.renewDue();
        assertThat(invoiceTotals(workspace)).containsExactly(9900L);
    }

    @Test
    void aCancellationWaitsForThePeriodsEndCanBeTakenBackAndThenEndsTheSubscription() {
        long owner = accounts.active(TestAccounts.uniqueEmail("cancel"));
        long workspace = workspace(owner);
        startWithoutTrial(owner, workspace, SandboxPaymentProvider.SUCCEEDS);

        billing.cancel(owner, workspace);
        assertThatThrownBy(() -> billing.cancel(owner, workspace))
                .hasMessage("This subscription already ends with the period.");
        billing.resume(owner, workspace);
        assertThatThrownBy(() -> billing.resume(owner, workspace)).hasMessage("This subscription is not set to end.");
        billing.cancel(owner, workspace);
        assertThat(status(workspace)).isEqualTo("active");

        clock.advance(Duration.ofDays(32));
        renewals.renewDue();

        assertThat(status(workspace)).isNull();
        assertThat(invoiceTotals(workspace))
                .as("no renewal, nothing left to bill")
                .containsExactly(1900L);
        assertThat(eventsAbout(workspace))
                .containsSubsequence("incomplete->active pro", "active->active pro", "active->canceled free");
    }

    @Test
    void aRenewalBillsSeatsAboveTheIncludedOnesAndTheEndedPeriodsCallsAboveTheQuota() {
        long owner = accounts.active(TestAccounts.uniqueEmail("seats"));
        long workspace = workspace(owner);
        for (int i = 0; i < 4; i++) {
            jdbc.sql("insert into workspace_members (workspace_id, user_id, role) values (?, ?, 'member')")
                    .params(workspace, accounts.active(TestAccounts.uniqueEmail("seat" + i)))
                    .update();
        }
        startWithoutTrial(owner, workspace, SandboxPaymentProvider.SUCCEEDS);
        Instant[] period = period(workspace);
        // Pro includes 3 000 000 calls a month; 2 500 more over two days of the period, and some
        // on the day the period ends, which belongs to the next one.
        java.time.LocalDate first = period[0].atZone(java.time.ZoneOffset.UTC).toLocalDate();
        java.time.LocalDate last = period[1].atZone(java.time.ZoneOffset.UTC).toLocalDate();
        jdbc.sql("""
                        insert into billing_usage (workspace_id, user_id, day, metric, quantity)
                        values (?, ?, ?, 'api.calls', 2000000), (?, ?, ?, 'api.calls', 1002500), (?, ?, ?, 'api.calls', 7)
                        """)
                .params(workspace, owner, first, workspace, owner, first.plusDays(1), workspace, owner, last)
                .update();

        clock.advance(Duration.between(clock.instant(), period[1]).plusSeconds(1));
        renewals.renewDue();

        // 5 members on Pro: 2 seats at $5.00; 2 500 calls over: 3 started thousands at $0.10.
        assertThat(invoiceTotals(workspace)).containsExactly(1900L + 2 * 500, 1900L + 2 * 500 + 3 * 10);
        assertThat(jdbc.sql(
                                "select string_agg(kind || ':' || quantity || ':' || amount, ',' order by position)"
                                        + " from invoice_lines where invoice_id = (select max(id) from invoices where workspace_id = ?)")
                        .param(workspace)
                        .query(String.class)
                        .single())
                .isEqualTo("base:1:1900,seats:2:1000,overage:3:30");
    }

    @Test
    void aDowngradeBelowTheStorageInUseIsRefusedWithTheReason() {
        long owner = accounts.active(TestAccounts.uniqueEmail("storage"));
        long workspace = workspace(owner);
        startWithoutTrial(owner, workspace, SandboxPaymentProvider.SUCCEEDS, "business");
        jdbc.sql("""
                        insert into attachments (id, owner_id, workspace_id, storage_key, file_name, content_type, size_bytes, sha256)
                        values (?, ?, ?, ?, 'big.bin', 'application/octet-stream', ?, repeat('a', 64))
                        """)
                .params(UUID.randomUUID(), owner, workspace, "k/" + UUID.randomUUID(), 60L * 1024 * 1024 * 1024)
                .update();

        assertThatThrownBy(() -> billing.changePlan(owner, workspace, price("pro", "month")))
                .isInstanceOf(BillingRuleException.class)
                .hasMessage("Pro includes 50 GB of storage; the workspace stores 60 GB. Delete files first.");
        assertThat(plan(workspace)).isEqualTo("business");
    }

    @Test
    void theRenewalJobRunTwiceAndByTwoThreadsAtOnceMakesOneInvoicePerPeriod() throws Exception {
        List<Long> workspaces = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            long owner = accounts.active(TestAccounts.uniqueEmail("job" + i));
            long workspace = workspace(owner);
            startWithoutTrial(owner, workspace, SandboxPaymentProvider.SUCCEEDS);
            workspaces.add(workspace);
        }
        clock.advance(Duration.ofDays(32));

        CyclicBarrier together = new CyclicBarrier(2);
        Callable<Integer> job = () -> {
            together.await();
            return renewals.renewDue();
        };
        try (ExecutorService threads = Executors.newFixedThreadPool(2)) {
            Future<Integer> first = threads.submit(job);
            Future<Integer> second = threads.submit(job);
            first.get();
            second.get();
        }
        renewals.renewDue();

        for (long workspace : workspaces) {
            assertThat(invoiceTotals(workspace)).as("start and one renewal").hasSize(2);
        }
        assertThat(jdbc.sql("select count(*) from (select subscription_id, period_start from invoices"
                                + " group by 1, 2 having count(*) > 1) twice")
                        .query(Long.class)
                        .single())
                .isZero();
    }

    /** Repeated: which of the two takes the lock first differs from run to run, and both orders must hold. */
    @RepeatedTest(10)
    void aPlanChangeRacingTheRenewalMakesOneInvoiceAndProratesTheNewPeriod() throws Exception {
        long owner = accounts.active(TestAccounts.uniqueEmail("race"));
        long workspace = workspace(owner);
        startWithoutTrial(owner, workspace, SandboxPaymentProvider.SUCCEEDS);
        clock.advance(Duration.ofDays(31).plusHours(1));

        CyclicBarrier together = new CyclicBarrier(2);
        try (ExecutorService threads = Executors.newFixedThreadPool(2)) {
            Future<?> renewal = threads.submit(() -> {
                together.await();
                return renewals.renewDue();
            });
            Future<?> change = threads.submit(() -> {
                together.await();
                return billing.changePlan(owner, workspace, price("business", "month"));
            });
            renewal.get();
            change.get();
        }

        assertThat(invoiceTotals(workspace))
                .as("start and one renewal at Pro's price")
                .containsExactly(1900L, 1900L);
        Instant[] period = period(workspace);
        assertThat(period[0]).isBefore(clock.instant());
        assertThat(plan(workspace)).isEqualTo("business");
    }

    @Test
    void invoicesArePermanentAndNumberedWithoutGaps() {
        long owner = accounts.active(TestAccounts.uniqueEmail("numbers"));
        long workspace = workspace(owner);
        startWithoutTrial(owner, workspace, SandboxPaymentProvider.SUCCEEDS);
        clock.advance(Duration.ofDays(32));
        renewals.renewDue();

        assertThatThrownBy(() -> jdbc.sql("update invoices set total = total + 1, subtotal = subtotal + 1"
                                + " where workspace_id = ?")
                        .param(workspace)
                        .update())
                .hasMessageContaining("a finalized invoice never changes");
        assertThatThrownBy(() -> jdbc.sql("update invoice_lines set amount = 0 where invoice_id in"
                                + " (select id from invoices where workspace_id = ?)")
                        .param(workspace)
                        .update())
                .hasMessageContaining("lines never change");
        assertThatThrownBy(() -> jdbc.sql("update plan_prices set unit_amount = 1 where id = ?")
                        .param(price("pro", "month"))
                        .update())
                .hasMessageContaining("a price never changes");
        List<String> numbers = jdbc.sql("select number from invoices order by number")
                .query(String.class)
                .list();
        for (int i = 1; i < numbers.size(); i++) {
            String previous = numbers.get(i - 1);
            String next = numbers.get(i);
            if (previous.substring(0, 4).equals(next.substring(0, 4))) {
                assertThat(Long.parseLong(next.substring(5))).isEqualTo(Long.parseLong(previous.substring(5)) + 1);
            } else {
                assertThat(next).endsWith("-000001");
            }
        }
    }

    @Test
    void aCreditNoteVoidsAnOpenInvoiceAndCreditsAPaidOneOnTheNextInvoiceOnce() {
        long owner = accounts.active(TestAccounts.uniqueEmail("credit"));
        long workspace = workspace(owner);
        startWithoutTrial(owner, workspace, SandboxPaymentProvider.SUCCEEDS);
        long paid = jdbc.sql("select id from invoices where workspace_id = ?")
                .param(workspace)
                .query(Long.class)
                .single();

        String note = staff.creditInFull(owner, paid, "Service outage");

        assertThat(note).matches("CN-\\d{4}-\\d{6}");
        assertThatThrownBy(() -> staff.creditInFull(owner, paid, "Again"))
                .isInstanceOf(BillingRuleException.class)
                .hasMessageContaining("has nothing left to credit");
        billing.savePaymentMethod(workspace, "Credit Co", SandboxPaymentProvider.CHARGES_DECLINED);
        clock.advance(Duration.ofDays(32));
        renewals.renewDue();
        assertThat(invoiceTotals(workspace)).as("the renewal less the credit").containsExactly(1900L, 0L);

        clock.advance(Duration.ofDays(31));
        renewals.renewDue();
        long open = jdbc.sql("select id from invoices where workspace_id = ? and status = 'open'")
                .param(workspace)
                .query(Long.class)
                .single();
        staff.creditInFull(owner, open, "Goodwill");
        assertThat(jdbc.sql("select status from invoices where id = ?")
                        .param(open)
                        .query(String.class)
                        .single())
                .isEqualTo("void");
    }

    @Test
    void closingTheWorkspaceEndsItsSubscriptionThroughTheBusAndItsInvoicesOutliveIt() {
        long owner = accounts.active(TestAccounts.uniqueEmail("closing"));
        long workspace = workspace(owner);
        startWithoutTrial(owner, workspace, SandboxPaymentProvider.SUCCEEDS);
        staff.compNextPeriod(
                owner,
                jdbc.sql("select id from subscriptions where workspace_id = ? and status = 'active'")
                        .param(workspace)
                        .query(Long.class)
                        .single());

        workspaces.delete(owner, workspace, "Billing Co");

        await().atMost(Duration.ofSeconds(30))
                .untilAsserted(() -> assertThat(status(workspace))
                        .as("ended on workspace.deleted")
                        .isNull());
        assertThat(eventsAbout(workspace)).last().isEqualTo("active->canceled free");
        assertThat(jdbc.sql(
                                "select string_agg(kind || ':' || total, ',' order by id) from invoices where workspace_id = ?")
                        .param(workspace)
                        .query(String.class)
                        .single())
                .as("the comp is not paid out: a final invoice of zero is not made")
                .isEqualTo("start:1900");

        jdbc.sql("delete from workspaces where id = ?").param(workspace).update();
        assertThat(jdbc.sql("select billed_to from invoices where billed_to = 'Billing Co' and workspace_id is null"
                                + " and subscription_id is null and total = 1900")
                        .query(String.class)
                        .list())
                .as("an invoice outlives a hard delete of its workspace")
                .isNotEmpty();
    }

    private void startWithoutTrial(long owner, long workspace, String card) {
        startWithoutTrial(owner, workspace, card, "pro");
    }

    /** A workspace whose trial was used: its second subscription starts without one, its first invoice paid now. */
    private void startWithoutTrial(long owner, long workspace, String card, String plan) {
        fixtures.trialUsed(workspace);
        billing.savePaymentMethod(workspace, "Workspace " + workspace, card);
        billing.subscribe(owner, workspace, price(plan, "month"));
    }

    private long workspace(long owner) {
        return fixtures.workspace(owner, "Billing Co");
    }

    private long price(String plan, String interval) {
        return fixtures.price(plan, interval);
    }

    private String status(long workspace) {
        return jdbc.sql("select status from subscriptions where workspace_id = ? and status <> 'canceled'")
                .param(workspace)
                .query(String.class)
                .optional()
                .orElse(null);
    }

    private String plan(long workspace) {
        return jdbc.sql("select p.code from subscriptions s join plans p on p.id = s.plan_id"
                        + " where s.workspace_id = ? and s.status <> 'canceled'")
                .param(workspace)
                .query(String.class)
                .single();
    }

    private Instant[] period(long workspace) {
        return jdbc.sql("select current_period_start, current_period_end from subscriptions"
                        + " where workspace_id = ? and status <> 'canceled'")
                .param(workspace)
                .query((row, n) -> new Instant[] {
                    row.getTimestamp(1).toInstant(), row.getTimestamp(2).toInstant()
                })
                .single();
    }

    private List<Long> invoiceTotals(long workspace) {
        return jdbc.sql("select total from invoices where workspace_id = ? order by id")
                .param(workspace)
                .query(Long.class)
                .list();
    }

    /** The workspace's subscription.changed events as "previous->status plan". */
    private List<String> eventsAbout(long workspace) {
        return jdbc.sql("select coalesce(payload #>> '{data,previousStatus}', 'none') || '->'"
                        + " || (payload #>> '{data,status}') || ' ' || (payload #>> '{data,plan}') from outbox"
                        + " where event_type = 'subscription.changed' and (payload #>> '{data,workspaceId}')::bigint = ?"
                        + " order by seq")
                .param(workspace)
                .query(String.class)
                .list();
    }
}
