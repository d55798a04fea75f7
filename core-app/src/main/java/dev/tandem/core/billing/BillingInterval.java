package dev.tandem.core.billing;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.Locale;

/**
 * How often a price is billed. Periods are calendar months (or years) counted from the
 * subscription's anchor in UTC, each computed from the anchor rather than from the previous end: a
 * subscription anchored on 31 January renews on 28 (or 29) February, then on 31 March.
 */
public enum BillingInterval {
    MONTH(1),
    YEAR(12);

    private final int months;

    BillingInterval(int months) {
        this.months = months;
    }

    public int months() {
        return months;
    }

    public String code() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static BillingInterval of(String code) {
        return valueOf(code.toUpperCase(Locale.ROOT));
    }

    /** The {@code n}th period boundary after {@code anchor} ({@code n = 0} is the anchor itself). */
    public Instant boundary(Instant anchor, long n) {
        return ZonedDateTime.ofInstant(anchor, ZoneOffset.UTC)
                .plusMonths(Math.multiplyExact(n, months))
                .toInstant();
    }

    /** The first period boundary after {@code at} of a subscription anchored at {@code anchor}. */
    public Instant nextBoundary(Instant anchor, Instant at) {
        ZonedDateTime start = ZonedDateTime.ofInstant(anchor, ZoneOffset.UTC);
        ZonedDateTime now = ZonedDateTime.ofInstant(at, ZoneOffset.UTC);
        long n = Math.max(
                0,
                ((now.getYear() - start.getYear()) * 12L + now.getMonthValue() - start.getMonthValue()) / months - 1);
        while (!boundary(anchor, n).isAfter(at)) {
            n++;
        }
        return boundary(anchor, n);
    }
}
