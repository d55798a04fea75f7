package dev.tandem.core.billing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tandem.core.IntegrationTest;
import dev.tandem.core.MovableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The renewal job at scale, run by hand (it takes minutes, so CI skips it):
 * {@code ./tandem test -pl core-app -am -Dtest=RenewalJobMeasurementTests -Dtandem.measure=true
 * -Dsurefire.failIfNoSpecifiedTests=false}. 10 000 subscriptions fall due; one worker renews them,
 * then 10 000 more are renewed by two workers at once (two instances). Both runs must make exactly
 * one invoice per subscription; the times go to the log (docs/billing.md keeps the last ones).
 */
@Import(BillingClock.class)
@EnabledIfSystemProperty(named = "tandem.measure", matches = "true")
@Timeout(value = 20, unit = java.util.concurrent.TimeUnit.MINUTES)
class RenewalJobMeasurementTests extends IntegrationTest {

    private static final Logger log = LoggerFactory.getLogger(RenewalJobMeasurementTests.class);
    private static final int SUBSCRIPTIONS = 10_000;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    MovableClock clock;

    @Autowired
    Renewals renewals;

    @Test
    void tenThousandSubscriptionsRenewOnceEachByOneWorkerAndByTwo() throws Exception {
        clock.advance(Duration.ofDays(400)); // past every subscription other tests left due
        renewals.renewDue();

        String first = seed("one");
        long oneWorker = time(1);
        assertThat(invoices(first)).isEqualTo(SUBSCRIPTIONS);

        String second = seed("two");
        long twoWorkers = time(2);
        assertThat(invoices(second)).isEqualTo(SUBSCRIPTIONS);

        // Out of the way of the tests that run after (the numbers stay: invoices are never deleted).
        jdbc.sql("update subscriptions set status = 'canceled', canceled_at = current_period_end"
                        + " where workspace_id in (select id from workspaces where slug like 'measure-%')")
                .update();
        log.info(
                "renewal job, {} subscriptions: one worker {} ms ({} per second), two workers {} ms ({} per second)",
                SUBSCRIPTIONS,
                oneWorker,
                SUBSCRIPTIONS * 1000L / Math.max(1, oneWorker),
                twoWorkers,
                SUBSCRIPTIONS * 1000L / Math.max(1, twoWorkers));
    }

    /** 10 000 workspaces on Pro monthly with a card that pays, each period ending before the clock. */
    private String seed(String run) {
        String prefix = "measure-" + run + "-" + Long.toHexString(System.nanoTime());
        Instant now = clock.instant();
        jdbc.sql("""
                        with made as (
                            insert into workspaces (name, slug)
                            select 'Measured ' || g, ? || '-' || g from generate_series(1, ?) g
                            returning id
                        ), profiles as (
                            insert into billing_profiles (workspace_id, provider, customer_ref, payment_method_ref,
                                card_brand, card_last4, card_expires)
                            select id, 'sandbox', 'cus_sandbox_' || id, 'pm_sandbox_4242424242424242', 'Visa', '4242', '12/34'
                            from made
                        )
                        insert into subscriptions (workspace_id, plan_id, price_id, status, billing_anchor,
                            current_period_start, current_period_end)
                        select m.id, p.plan_id, p.id, 'active', a.anchor, a.anchor, a.anchor + interval '1 month'
                        from made m, plan_prices p
                        cross join (select ?::timestamptz - interval '1 month' - interval '1 second' as anchor) a
                        join plans pl on pl.id = p.plan_id
                        where pl.code = 'pro' and p.billing_interval = 'month' and p.active
                        """).params(prefix, SUBSCRIPTIONS, now.toString()).update();
        return prefix;
    }

    private long time(int workers) throws Exception {
        CyclicBarrier together = new CyclicBarrier(workers);
        Callable<Integer> job = () -> {
            together.await();
            return renewals.renewDue();
        };
        long start = System.nanoTime();
        try (ExecutorService threads = Executors.newFixedThreadPool(workers)) {
            var runs = new java.util.ArrayList<Future<Integer>>();
            for (int i = 0; i < workers; i++) {
                runs.add(threads.submit(job));
            }
            for (Future<Integer> run : runs) {
                run.get();
            }
        }
        return (System.nanoTime() - start) / 1_000_000;
    }

    private long invoices(String prefix) {
        return jdbc.sql("""
                        select count(*) from invoices i join workspaces w on w.id = i.workspace_id
                        where w.slug like ? || '-%' and i.kind = 'renewal' and i.status = 'paid'
                        """).param(prefix).query(Long.class).single();
    }
}
