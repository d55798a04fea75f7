package dev.tandem.core.billing;

import java.time.Duration;
import java.time.Instant;

/**
 * The proration of a change made part-way through a period (docs/billing.md, "Proration"): credit
 * for the old amount's unused time, a charge for the new amount over the same time, computed to
 * the second and rounded once. {@code net} is {@code (new − old) × remaining ÷ period} rounded half
 * away from zero; the credit is rounded alone and the charge is what makes the two sum to {@code
 * net}, so the lines of an invoice always add up to the rule.
 */
public record Proration(long credit, long charge, long remainingSeconds, long periodSeconds) {

    public long net() {
        return credit + charge;
    }

    /**
     * Changing from {@code oldAmount} to {@code newAmount} per period at {@code at}, inside the
     * period {@code [start, end)}.
     */
    public static Proration of(long oldAmount, long newAmount, Instant start, Instant end, Instant at) {
        if (at.isBefore(start) || !at.isBefore(end)) {
            throw new IllegalArgumentException("the change must fall inside the period");
        }
        long period = Duration.between(start, end).toSeconds();
        long remaining = Duration.between(at, end).toSeconds();
        long net = Money.scale(Math.subtractExact(newAmount, oldAmount), remaining, period);
        long credit = -Money.scale(oldAmount, remaining, period);
        return new Proration(credit, net - credit, remaining, period);
    }
}
