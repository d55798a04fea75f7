package dev.tandem.core.billing;

import dev.tandem.core.billing.InvoiceMaker.UsageWindow;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/** What the billing pages show, read in a few statements (no locks, no writes). */
@Component
public class BillingPages {

    /** The workspace's billing at a glance. */
    public record Overview(
            Plan plan,
            Optional<Subscription> subscription,
            Optional<Price> price,
            Optional<Profile> profile,
            Optional<Estimate> estimate,
            Optional<PendingPayment> pendingPayment,
            List<InvoiceRow> invoices,
            int members) {}

    public record Profile(
            @Nullable String cardBrand,
            @Nullable String cardLast4,
            @Nullable String cardExpires,
            @Nullable String country,
            List<String> contacts) {

        public boolean hasCard() {
            return cardLast4 != null;
        }
    }

    /** The next invoice if nothing changes: what, when. */
    public record Estimate(Instant at, InvoiceDraft draft, String currency) {

        public String format(long amount) {
            return Money.format(amount, currency);
        }
    }

    public record PendingPayment(
            String intentRef,
            String number,
            String amount,
            @Nullable String actionUrl) {}

    public record InvoiceRow(
            long id,
            String number,
            String kind,
            String status,
            Instant issuedAt,
            Instant periodStart,
            Instant periodEnd,
            String total) {}

    public record InvoiceLineRow(String kind, String description, long quantity, String amount) {}

    public record CreditNoteRow(String number, String amount, String reason, Instant createdAt) {}

    public record InvoicePage(
            InvoiceRow invoice,
            List<InvoiceLineRow> lines,
            List<CreditNoteRow> creditNotes,
            String billedTo,
            String subtotal,
            String tax,
            int taxBasisPoints,
            @Nullable String taxCountry,
            @Nullable Instant paidAt) {

        /** The rate as people read it: {@code 19}, {@code 7.5}. */
        public String taxRate() {
            return taxBasisPoints % 100 == 0
                    ? String.valueOf(taxBasisPoints / 100)
                    : taxBasisPoints / 100 + "."
                            + String.format("%02d", taxBasisPoints % 100).replaceAll("0$", "");
        }
    }

    private static final java.time.format.DateTimeFormatter DAY = java.time.format.DateTimeFormatter.ofPattern(
                    "d MMM yyyy", Locale.ENGLISH)
            .withZone(ZoneOffset.UTC);

    /** A day as the pages show it ({@code 7 Dec 2026}, UTC). */
    public static String day(Instant instant) {
        return DAY.format(instant);
    }

    /** Bytes as the pages show them ({@code 50 GB}). */
    public static String bytes(long bytes) {
        return Durations.bytes(bytes);
    }

    private final JdbcClient jdbc;
    private final Catalogue catalogue;
    private final SubscriptionRepository subscriptions;
    private final InvoiceMaker invoices;
    private final Clock clock;

    BillingPages(
            JdbcClient jdbc,
            Catalogue catalogue,
            SubscriptionRepository subscriptions,
            InvoiceMaker invoices,
            Clock clock) {
        this.jdbc = jdbc;
        this.catalogue = catalogue;
        this.subscriptions = subscriptions;
        this.invoices = invoices;
        this.clock = clock;
    }

    public Overview overview(long workspaceId) {
        Optional<Subscription> subscription = subscriptions.live(workspaceId);
        Plan plan = subscription
                .map(live -> catalogue.plan(live.planId()))
                .orElseGet(() -> catalogue.plan(Plan.FREE).orElseThrow());
        Optional<Price> price = subscription.flatMap(live -> catalogue.price(live.priceId()));
        Optional<Estimate> estimate = subscription
                .filter(live -> !live.cancelAtPeriodEnd()
                        && live.status() != Subscription.Status.INCOMPLETE
                        && !live.due(clock.instant()))
                .map(live -> new Estimate(
                        live.periodEnd(),
                        invoices.draft(
                                live,
                                true,
                                live.status() == Subscription.Status.TRIALING
                                        ? null
                                        : new UsageWindow(live.periodStart(), live.periodEnd())),
                        price.orElseThrow().currency()));
        return new Overview(
                plan,
                subscription,
                price,
                profile(workspaceId),
                estimate,
                pendingPayment(workspaceId),
                invoices(workspaceId),
                invoices.seats(workspaceId));
    }

    private Optional<Profile> profile(long workspaceId) {
        return jdbc.sql("select card_brand, card_last4, card_expires, country, contacts from billing_profiles"
                        + " where workspace_id = ?")
                .param(workspaceId)
                .query((row, n) -> new Profile(
                        row.getString("card_brand"),
                        row.getString("card_last4"),
                        row.getString("card_expires"),
                        row.getString("country"),
                        List.of((String[]) row.getArray("contacts").getArray())))
                .optional();
    }

    private Optional<PendingPayment> pendingPayment(long workspaceId) {
        return jdbc.sql("""
                        select p.intent_ref, i.number, i.total, i.currency, p.action_url
                        from payments p join invoices i on i.id = p.invoice_id
                        where i.workspace_id = ? and p.status = 'requires_action' and i.status = 'open'
                        order by p.id desc limit 1
                        """)
                .param(workspaceId)
                .query((row, n) -> new PendingPayment(
                        row.getString("intent_ref"),
                        row.getString("number"),
                        Money.format(row.getLong("total"), row.getString("currency")),
                        row.getString("action_url")))
                .optional();
    }

    /** The workspace's invoices, newest first (the 100 latest). */
    public List<InvoiceRow> invoices(long workspaceId) {
        return jdbc.sql("select " + INVOICE_COLUMNS + " from invoices where workspace_id = ?"
                        + " order by issued_at desc, id desc limit 100")
                .param(workspaceId)
                .query((row, n) -> invoiceRow(row))
                .list();
    }

    /** One invoice of the workspace by its number; empty for another workspace's, as for none. */
    public Optional<InvoicePage> invoice(long workspaceId, String number) {
        return jdbc.sql("select " + INVOICE_COLUMNS
                        + ", billed_to, subtotal, tax, tax_basis_points, tax_country, paid_at"
                        + " from invoices where workspace_id = ? and number = ?")
                .params(workspaceId, number)
                .query((row, n) -> {
                    String currency = row.getString("currency");
                    long id = row.getLong("id");
                    return new InvoicePage(
                            invoiceRow(row),
                            lines(id, currency),
                            creditNotes(id, currency),
                            row.getString("billed_to"),
                            Money.format(row.getLong("subtotal"), currency),
                            Money.format(row.getLong("tax"), currency),
                            row.getInt("tax_basis_points"),
                            row.getString("tax_country"),
                            row.getTimestamp("paid_at") == null
                                    ? null
                                    : row.getTimestamp("paid_at").toInstant());
                })
                .optional();
    }

    private static final String INVOICE_COLUMNS =
            "id, number, kind, status, issued_at, period_start, period_end, total, currency";

    private static InvoiceRow invoiceRow(java.sql.ResultSet row) throws java.sql.SQLException {
        return new InvoiceRow(
                row.getLong("id"),
                row.getString("number"),
                row.getString("kind"),
                row.getString("status"),
                row.getTimestamp("issued_at").toInstant(),
                row.getTimestamp("period_start").toInstant(),
                row.getTimestamp("period_end").toInstant(),
                Money.format(row.getLong("total"), row.getString("currency")));
    }

    private List<CreditNoteRow> creditNotes(long invoiceId, String currency) {
        return jdbc.sql("select number, amount, reason, created_at from credit_notes where invoice_id = ? order by id")
                .param(invoiceId)
                .query((row, n) -> new CreditNoteRow(
                        row.getString("number"),
                        Money.format(row.getLong("amount"), currency),
                        row.getString("reason"),
                        row.getTimestamp("created_at").toInstant()))
                .list();
    }

    private List<InvoiceLineRow> lines(long invoiceId, String currency) {
        return jdbc.sql("select kind, description, quantity, amount from invoice_lines where invoice_id = ?"
                        + " order by position")
                .param(invoiceId)
                .query((row, n) -> new InvoiceLineRow(
                        row.getString("kind"),
                        row.getString("description"),
                        row.getLong("quantity"),
                        Money.format(row.getLong("amount"), currency)))
                .list();
    }
}
