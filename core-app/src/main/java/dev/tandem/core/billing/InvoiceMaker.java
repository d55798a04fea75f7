package dev.tandem.core.billing;

import dev.tandem.core.billing.InvoiceDraft.Pending;
import dev.tandem.core.platform.Sql;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/**
 * Makes and finalizes an invoice in the caller's transaction, which holds the subscription's row
 * lock: prices what is owed ({@link InvoiceDraft}), takes the year's next number, writes the
 * invoice and its lines, and marks the waiting adjustments as invoiced. The unique key on
 * (subscription, kind, period start) makes a second invoice for a period fail the transaction
 * whatever path tries it.
 */
@Component
class InvoiceMaker {

    /** The metric of the ledger that overage is priced on (hot-path's {@code Usage.API_CALLS}). */
    static final String API_CALLS = "api.calls";

    private final JdbcClient jdbc;
    private final Catalogue catalogue;
    private final ApplicationEventPublisher events;
    private final Clock clock;

    InvoiceMaker(JdbcClient jdbc, Catalogue catalogue, ApplicationEventPublisher events, Clock clock) {
        this.events = events;
        this.jdbc = jdbc;
        this.catalogue = catalogue;
        this.clock = clock;
    }

    /**
     * What the next invoice of {@code subscription} would hold if made now for {@code [periodStart,
     * periodEnd)}, without writing anything; overage is counted over {@code usage} (null: none).
     */
    InvoiceDraft draft(Subscription subscription, boolean advance, @Nullable UsageWindow usage) {
        return draft(
                subscription,
                catalogue.plan(subscription.planId()),
                catalogue.price(subscription.priceId()).orElseThrow(),
                advance,
                usage);
    }

    private InvoiceDraft draft(
            Subscription subscription, Plan plan, Price price, boolean advance, @Nullable UsageWindow usage) {
        long overage =
                usage == null ? 0 : Math.max(0, apiCalls(subscription.workspaceId(), usage) - quota(plan, price));
        return InvoiceDraft.compose(
                plan,
                price,
                advance,
                seats(subscription.workspaceId()),
                pending(subscription.id()),
                overage,
                taxRate(subscription.workspaceId()));
    }

    /** The usage days an invoice prices: from the first's UTC date up to (not including) the last's. */
    record UsageWindow(Instant from, Instant to) {}

    /** An invoice was made, numbered and finalized: its PDF goes to the billing contacts. */
    record InvoiceFinalized(long invoiceId, long workspaceId) {}

    /**
     * Makes the invoice of {@code kind} for {@code [periodStart, periodEnd)}: its id, or empty for
     * a final invoice with nothing to bill.
     */
    @Transactional(propagation = Propagation.MANDATORY)
    Optional<Long> make(
            Subscription subscription,
            String kind,
            Instant periodStart,
            Instant periodEnd,
            @Nullable UsageWindow usage) {
        lockPending(subscription.id());
        boolean advance = !kind.equals("final");
        Price price = catalogue.price(subscription.priceId()).orElseThrow();
        InvoiceDraft draft = draft(subscription, catalogue.plan(subscription.planId()), price, advance, usage);
        if (!advance && (draft.empty() || draft.subtotal() == 0)) {
            return Optional.empty(); // nothing owed at the end: a credit left over is not paid out here
        }
        Instant now = clock.instant();
        String country = country(subscription.workspaceId());
        long id = jdbc.sql("""
                        insert into invoices (workspace_id, subscription_id, billed_to, number, kind, status, currency,
                            period_start, period_end, subtotal, tax_country, tax_basis_points, tax, total, issued_at, paid_at)
                        values (?, ?, (select name from workspaces where id = ?), ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                        returning id
                        """)
                .params(
                        subscription.workspaceId(),
                        subscription.id(),
                        subscription.workspaceId(),
                        nextNumber(now),
                        kind,
                        draft.total() == 0 ? "paid" : "open",
                        price.currency(),
                        Sql.at(periodStart),
                        Sql.at(periodEnd),
                        draft.subtotal(),
                        country,
                        draft.taxBasisPoints(),
                        draft.tax(),
                        draft.total(),
                        Sql.at(now),
                        draft.total() == 0 ? Sql.at(now) : null)
                .query(Long.class)
                .single();
        int position = 0;
        for (InvoiceDraft.Line line : draft.lines()) {
            jdbc.sql("insert into invoice_lines (invoice_id, position, kind, description, quantity, amount)"
                            + " values (?, ?, ?, ?, ?, ?)")
                    .params(id, ++position, line.kind(), line.description(), line.quantity(), line.amount())
                    .update();
        }
        jdbc.sql("update billing_adjustments set invoice_id = ? where subscription_id = ? and invoice_id is null")
                .params(id, subscription.id())
                .update();
        events.publishEvent(new InvoiceFinalized(id, subscription.workspaceId()));
        if (draft.carriedCredit() != 0) {
            addAdjustment(subscription.id(), "credit", "Credit carried from an earlier invoice", draft.carriedCredit());
        }
        return Optional.of(id);
    }

    /** Voids the subscription's unpaid invoices: a first payment never made is not owed. */
    @Transactional(propagation = Propagation.MANDATORY)
    void voidOpen(long subscriptionId) {
        jdbc.sql("update invoices set status = 'void' where subscription_id = ? and status = 'open'")
                .param(subscriptionId)
                .update();
    }

    @Transactional(propagation = Propagation.MANDATORY)
    void addAdjustment(long subscriptionId, String kind, String description, long amount) {
        jdbc.sql("insert into billing_adjustments (subscription_id, kind, description, amount, created_at)"
                        + " values (?, ?, ?, ?, ?)")
                .params(subscriptionId, kind, description, amount, Sql.at(clock.instant()))
                .update();
    }

    /** The year's next invoice number ({@code 2026-000042}); see {@link #nextNumber(String, String, Instant)}. */
    private String nextNumber(Instant now) {
        return nextNumber("invoice", "", now);
    }

    /**
     * The next number of {@code series} in the year of {@code now}, taken under the counter row's
     * lock, which the caller's transaction holds to its end: no gaps, no repeats.
     */
    @Transactional(propagation = Propagation.MANDATORY)
    String nextNumber(String series, String prefix, Instant now) {
        int year = now.atZone(ZoneOffset.UTC).getYear();
        long number = jdbc.sql("""
                        insert into invoice_numbers (series, year, last_number) values (?, ?, 1)
                        on conflict (series, year) do update set last_number = invoice_numbers.last_number + 1
                        returning last_number
                        """).params(series, year).query(Long.class).single();
        return String.format("%s%d-%06d", prefix, year, number);
    }

    int seats(long workspaceId) {
        return jdbc.sql("select count(*) from workspace_members where workspace_id = ?")
                .param(workspaceId)
                .query(Integer.class)
                .single();
    }

    private List<Pending> pending(long subscriptionId) {
        return jdbc.sql("select kind, description, amount from billing_adjustments"
                        + " where subscription_id = ? and invoice_id is null order by id")
                .param(subscriptionId)
                .query((row, n) ->
                        new Pending(row.getString("kind"), row.getString("description"), row.getLong("amount")))
                .list();
    }

    private void lockPending(long subscriptionId) {
        jdbc.sql("select id from billing_adjustments where subscription_id = ? and invoice_id is null for update")
                .param(subscriptionId)
                .query(Long.class)
                .list();
    }

    private long apiCalls(long workspaceId, UsageWindow usage) {
        LocalDate from = usage.from().atZone(ZoneOffset.UTC).toLocalDate();
        LocalDate to = usage.to().atZone(ZoneOffset.UTC).toLocalDate();
        return jdbc.sql("select coalesce(sum(quantity), 0) from billing_usage"
                        + " where workspace_id = ? and metric = ? and day >= ? and day < ?")
                .params(workspaceId, API_CALLS, from, to)
                .query(Long.class)
                .single();
    }

    /** The API calls a period includes: the monthly quota times the months of the interval. */
    static long quota(Plan plan, Price price) {
        return Math.multiplyExact(plan.apiCallsPerMonth(), price.interval().months());
    }

    private @Nullable String country(long workspaceId) {
        return jdbc.sql("select country from billing_profiles where workspace_id = ? and country is not null")
                .param(workspaceId)
                .query(String.class)
                .optional()
                .orElse(null);
    }

    private int taxRate(long workspaceId) {
        return jdbc.sql("select t.basis_points from billing_profiles b join tax_rates t on t.country = b.country"
                        + " where b.workspace_id = ?")
                .param(workspaceId)
                .query(Integer.class)
                .optional()
                .orElse(0);
    }
}
