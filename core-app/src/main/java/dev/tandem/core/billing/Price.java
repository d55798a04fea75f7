package dev.tandem.core.billing;

/**
 * One version of a plan's price (never changed once written): the amount per period, per seat
 * above the plan's included ones, and per 1 000 API calls above the quota.
 */
public record Price(
        long id,
        long planId,
        BillingInterval interval,
        String currency,
        long unitAmount,
        long seatAmount,
        long overagePer1000,
        boolean active) {

    /** What a period costs with {@code seats} members on a plan that includes {@code includedSeats}. */
    public long periodAmount(int seats, int includedSeats) {
        return Math.addExact(unitAmount, Math.multiplyExact(seatAmount, extraSeats(seats, includedSeats)));
    }

    public static long extraSeats(int seats, int includedSeats) {
        return Math.max(0, seats - includedSeats);
    }

    public String format(long amount) {
        return Money.format(amount, currency);
    }
}
