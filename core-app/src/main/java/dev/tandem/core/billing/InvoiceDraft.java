package dev.tandem.core.billing;

import java.util.ArrayList;
import java.util.List;

/**
 * The lines and totals of an invoice before it is numbered, computed from what is owed alone (no
 * database, no clock): the period's price and seats in advance, the adjustments waiting since the
 * last invoice, the overage of the period that ended, tax on the sum. A subtotal below zero (a
 * downgrade's credit larger than the period's price) is invoiced as zero and the rest is carried
 * to the next invoice as a credit, never paid out.
 */
public record InvoiceDraft(List<Line> lines, long subtotal, int taxBasisPoints, long tax, long carriedCredit) {

    public record Line(String kind, String description, long quantity, long amount) {}

    /** An amount waiting for the invoice (proration, comp, carried credit). */
    public record Pending(String kind, String description, long amount) {}

    public long total() {
        return subtotal + tax;
    }

    /** What to bill. {@code advance} is false for a final invoice (no next period). */
    public static InvoiceDraft compose(
            Plan plan,
            Price price,
            boolean advance,
            int seats,
            List<Pending> pending,
            long overageCalls,
            int taxBasisPoints) {
        List<Line> lines = new ArrayList<>();
        if (advance) {
            lines.add(new Line("base", plan.name() + " (" + price.interval().code() + "ly)", 1, price.unitAmount()));
            long extra = Price.extraSeats(seats, plan.includedSeats());
            if (extra > 0 && price.seatAmount() > 0) {
                lines.add(new Line(
                        "seats",
                        extra + " seats above the " + plan.includedSeats() + " included, at "
                                + price.format(price.seatAmount()),
                        extra,
                        Math.multiplyExact(extra, price.seatAmount())));
            }
        }
        for (Pending item : pending) {
            lines.add(new Line(item.kind(), item.description(), 1, item.amount()));
        }
        if (overageCalls > 0 && price.overagePer1000() > 0) {
            long thousands = Math.ceilDiv(overageCalls, 1000);
            lines.add(new Line(
                    "overage",
                    String.format(
                            "%,d API calls above the quota, at %s per 1,000",
                            overageCalls, price.format(price.overagePer1000())),
                    thousands,
                    Math.multiplyExact(thousands, price.overagePer1000())));
        }
        long sum = lines.stream().mapToLong(Line::amount).reduce(0, Math::addExact);
        long carried = 0;
        if (sum < 0) {
            carried = sum;
            lines.add(new Line("credit", "Credit carried to the next invoice", 1, -sum));
            sum = 0;
        }
        return new InvoiceDraft(List.copyOf(lines), sum, taxBasisPoints, Money.percent(sum, taxBasisPoints), carried);
    }

    /** Whether there is anything to invoice at all. */
    public boolean empty() {
        return lines.isEmpty() || lines.stream().allMatch(line -> line.amount() == 0);
    }
}
