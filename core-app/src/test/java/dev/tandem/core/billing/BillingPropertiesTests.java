package dev.tandem.core.billing;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import net.jqwik.api.constraints.Size;

/**
 * Properties of billing's arithmetic: periods tile time from their anchor (month ends, leap
 * years), proration is rounded once and its lines add up, and a year of invoices of a customer who
 * changes plan many times sums to what docs/billing.md's rule says, to the cent.
 */
class BillingPropertiesTests {

    private static final Instant FROM = Instant.parse("2020-01-01T00:00:00Z");
    private static final Instant TO = Instant.parse("2040-01-01T00:00:00Z");

    @Provide
    Arbitrary<Instant> anchors() {
        Arbitrary<Instant> anywhere = Arbitraries.longs()
                .between(FROM.getEpochSecond(), TO.getEpochSecond())
                .map(Instant::ofEpochSecond);
        // Month ends and leap days, where periods are easiest to get wrong.
        Arbitrary<Instant> monthEnds = Arbitraries.integers()
                .between(2020, 2039)
                .flatMap(year -> Arbitraries.integers()
                        .between(1, 12)
                        .flatMap(month -> Arbitraries.integers()
                                .between(0, 86_399)
                                .map(second -> ZonedDateTime.of(year, month, 1, 0, 0, 0, 0, ZoneOffset.UTC)
                                        .plusMonths(1)
                                        .minusDays(1)
                                        .plusSeconds(second)
                                        .toInstant())));
        return Arbitraries.oneOf(anywhere, monthEnds);
    }

    @Property
    void periodsFollowOneAnotherFromTheAnchor(
            @ForAll("anchors") Instant anchor, @ForAll BillingInterval interval, @ForAll @IntRange(max = 60) int n) {
        Instant start = interval.boundary(anchor, n);
        Instant end = interval.boundary(anchor, n + 1);
        long days = Duration.between(start, end).toDays();
        if (interval == BillingInterval.MONTH) {
            assertThat(days).isBetween(28L, 31L);
        } else {
            assertThat(days).isBetween(365L, 366L);
        }
        ZonedDateTime first = anchor.atZone(ZoneOffset.UTC);
        ZonedDateTime boundary = end.atZone(ZoneOffset.UTC);
        assertThat(boundary.getDayOfMonth())
                .isEqualTo(
                        Math.min(first.getDayOfMonth(), boundary.toLocalDate().lengthOfMonth()));
        assertThat(boundary.toLocalTime()).isEqualTo(first.toLocalTime());
    }

    @Property
    void theNextBoundaryIsTheFirstAfterTheInstant(
            @ForAll("anchors") Instant anchor,
            @ForAll BillingInterval interval,
            @ForAll @LongRange(max = 5L * 366 * 86_400) long secondsLater) {
        Instant at = anchor.plusSeconds(secondsLater);
        Instant next = interval.nextBoundary(anchor, at);
        assertThat(next).isAfter(at);
        long n = 0;
        while (interval.boundary(anchor, n).isBefore(next)) {
            n++;
        }
        assertThat(interval.boundary(anchor, n)).isEqualTo(next);
        assertThat(interval.boundary(anchor, n - 1)).isBeforeOrEqualTo(at);
    }

    @Property
    void prorationIsRoundedOnceAndItsLinesAddUp(
            @ForAll("anchors") Instant anchor,
            @ForAll BillingInterval interval,
            @ForAll @LongRange(max = 10_000_000) long oldAmount,
            @ForAll @LongRange(max = 10_000_000) long newAmount,
            @ForAll @LongRange(min = 0, max = Long.MAX_VALUE) long offset) {
        Instant end = interval.boundary(anchor, 1);
        long period = Duration.between(anchor, end).toSeconds();
        Instant at = anchor.plusSeconds(offset % period);
        Proration proration = Proration.of(oldAmount, newAmount, anchor, end, at);
        long remaining = period - offset % period;

        assertThat(proration.credit() + proration.charge()).isEqualTo(proration.net());
        assertThat(proration.net()).isEqualTo(rule(newAmount - oldAmount, remaining, period));
        assertThat(proration.credit()).isEqualTo(-rule(oldAmount, remaining, period));
        assertThat(Proration.of(newAmount, oldAmount, anchor, end, at).net()).isEqualTo(-proration.net());
    }

    @Property
    void aChangeOnThePeriodsLastSecondIsWorthOneSecond(
            @ForAll("anchors") Instant anchor,
            @ForAll BillingInterval interval,
            @ForAll @LongRange(max = 10_000_000) long oldAmount,
            @ForAll @LongRange(max = 10_000_000) long newAmount) {
        Instant end = interval.boundary(anchor, 1);
        long period = Duration.between(anchor, end).toSeconds();
        Proration last = Proration.of(oldAmount, newAmount, anchor, end, end.minusSeconds(1));
        assertThat(last.remainingSeconds()).isOne();
        assertThat(Math.abs(last.net())).isLessThanOrEqualTo(Math.abs(newAmount - oldAmount) / period + 1);
        assertThat(Proration.of(oldAmount, newAmount, anchor, end, anchor).net())
                .isEqualTo(newAmount - oldAmount);
    }

    @Example
    void roundsHalfAwayFromZero() {
        assertThat(Money.scale(1, 1, 2)).isEqualTo(1);
        assertThat(Money.scale(-1, 1, 2)).isEqualTo(-1);
        assertThat(Money.scale(1, 1, 3)).isZero();
        assertThat(Money.scale(2, 1, 3)).isEqualTo(1);
        assertThat(Money.percent(1999, 1900)).isEqualTo(380);
        assertThat(Money.format(123456, "USD")).isEqualTo("$1,234.56");
        assertThat(Money.format(-41, "EUR")).isEqualTo("-€0.41");
        assertThat(Money.format(500, "JPY")).isEqualTo("¥500");
    }

    /**
     * A monthly customer changes plan at up to 40 random seconds over a year; replayed through the
     * aggregate and the invoice composition, what is invoiced (plus a credit still carried at the
     * end) equals the rule computed independently here, and lies within half a cent per change of
     * the exact value of the time spent on each price.
     */
    @Property(tries = 300)
    void aYearOfPlanChangesIsInvoicedToTheCent(
            @ForAll("anchors") Instant start,
            @ForAll @Size(min = 3, max = 3) List<@LongRange(min = 100, max = 1_000_000) Long> amounts,
            @ForAll @Size(max = 40) List<@LongRange(min = 1, max = 365L * 86_400 - 1) Long> offsets,
            @ForAll @Size(max = 40) List<@IntRange(min = 1, max = 2) Integer> steps) {
        List<Plan> plans = new ArrayList<>();
        List<Price> prices = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            plans.add(new Plan(i + 1, "plan-" + i, "Plan " + i, "", 14, 1, 0, 0, 0, 60));
            prices.add(new Price(i + 1, i + 1, BillingInterval.MONTH, "USD", amounts.get(i), 0, 0, true));
        }
        TreeMap<Instant, Integer> changes = new TreeMap<>();
        for (int i = 0; i < Math.min(offsets.size(), steps.size()); i++) {
            changes.put(start.plusSeconds(offsets.get(i)), steps.get(i));
        }
        Instant yearEnd = start.plusSeconds(365L * 86_400);

        // Through the code under test.
        Subscription subscription = Subscription.start(1, plans.get(0), prices.get(0), start, false);
        int current = 0;
        long invoiced = prices.get(0).unitAmount();
        subscription.paymentSucceeded();
        List<InvoiceDraft.Pending> pending = new ArrayList<>();
        for (var change : changes.entrySet()) {
            invoiced += renewUntil(subscription, change.getKey(), plans.get(current), prices.get(current), pending);
            int next = (current + change.getValue()) % 3;
            var planChange = subscription.changePlan(
                    plans.get(next), prices.get(next), prices.get(current), 1, 1, change.getKey());
            Proration proration = planChange.proration().orElseThrow();
            pending.add(new InvoiceDraft.Pending("proration", "credit", proration.credit()));
            pending.add(new InvoiceDraft.Pending("proration", "charge", proration.charge()));
            current = next;
        }
        invoiced += renewUntil(subscription, yearEnd, plans.get(current), prices.get(current), pending);
        long outstanding =
                pending.stream().mapToLong(InvoiceDraft.Pending::amount).sum();

        // The rule, independently: each period's price at its start, plus each change's
        // (new − old) × remaining ÷ period rounded half away from zero.
        BigInteger expected = BigInteger.ZERO;
        long halfCentsOfRounding = 0;
        int plan = 0;
        Instant periodStart = start;
        int n = 0;
        var remainingChanges = new TreeMap<>(changes);
        while (!periodStart.isAfter(yearEnd)) {
            Instant periodEnd = BillingInterval.MONTH.boundary(start, ++n);
            long length = Duration.between(periodStart, periodEnd).toSeconds();
            expected = expected.add(BigInteger.valueOf(amounts.get(plan)));
            BigInteger exact = BigInteger.valueOf(amounts.get(plan)).multiply(BigInteger.valueOf(length));
            BigInteger rounded = BigInteger.valueOf(amounts.get(plan)).multiply(BigInteger.valueOf(length));
            while (!remainingChanges.isEmpty() && remainingChanges.firstKey().isBefore(periodEnd)) {
                var change = remainingChanges.pollFirstEntry();
                int next = (plan + change.getValue()) % 3;
                long remaining = Duration.between(change.getKey(), periodEnd).toSeconds();
                long diff = amounts.get(next) - amounts.get(plan);
                long net = rule(diff, remaining, length);
                expected = expected.add(BigInteger.valueOf(net));
                exact = exact.add(BigInteger.valueOf(diff).multiply(BigInteger.valueOf(remaining)));
                rounded = rounded.add(BigInteger.valueOf(net).multiply(BigInteger.valueOf(length)));
                halfCentsOfRounding++;
                plan = next;
            }
            // Rounding error of this period, in cents × length: at most half a cent per change.
            assertThat(rounded.subtract(exact).abs().multiply(BigInteger.TWO))
                    .isLessThanOrEqualTo(BigInteger.valueOf(length).multiply(BigInteger.valueOf(halfCentsOfRounding)));
            halfCentsOfRounding = 0;
            periodStart = periodEnd;
        }
        assertThat(remainingChanges).isEmpty();
        assertThat(BigInteger.valueOf(invoiced + outstanding)).isEqualTo(expected);
    }

    /** Renews through every period that ends by {@code until}, composing each renewal invoice. */
    private static long renewUntil(
            Subscription subscription, Instant until, Plan plan, Price price, List<InvoiceDraft.Pending> pending) {
        long invoiced = 0;
        while (subscription.due(until)) {
            subscription.renew();
            InvoiceDraft draft = InvoiceDraft.compose(plan, price, true, 1, List.copyOf(pending), 0, 0);
            pending.clear();
            if (draft.carriedCredit() != 0) {
                pending.add(new InvoiceDraft.Pending("credit", "carried", draft.carriedCredit()));
            }
            invoiced += draft.total();
        }
        return invoiced;
    }

    /** Half away from zero, with BigInteger: the rule as docs/billing.md writes it. */
    private static long rule(long amount, long numerator, long denominator) {
        BigInteger[] qr = BigInteger.valueOf(amount)
                .multiply(BigInteger.valueOf(numerator))
                .divideAndRemainder(BigInteger.valueOf(denominator));
        BigInteger quotient = qr[0];
        if (qr[1].abs().multiply(BigInteger.TWO).compareTo(BigInteger.valueOf(denominator)) >= 0) {
            quotient = quotient.add(BigInteger.valueOf(qr[1].signum()));
        }
        return quotient.longValueExact();
    }
}
