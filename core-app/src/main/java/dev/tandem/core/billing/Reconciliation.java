package dev.tandem.core.billing;

import dev.tandem.core.billing.PaymentProvider.Outcome;
import dev.tandem.core.billing.PaymentProvider.Payment;
import dev.tandem.core.platform.Sql;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Webhooks get lost (an outage, a misconfigured endpoint): this pulls the provider's truth for a
 * workspace and corrects the local state through the same path the webhooks take ({@link
 * Payments#settle}), recording what it checked and changed in {@code billing_reconciliations}. It
 * checks the payments still in doubt — waiting for the customer, or failed on an invoice still open
 * — and asks again for refunds still pending. Staff run it from the admin; a job runs it daily for
 * every workspace with something in doubt. Running it twice changes nothing the second time.
 */
@Component
public class Reconciliation {

    /** How long a payment may wait before the daily job counts it in doubt. */
    public static final Duration IN_DOUBT_AFTER = Duration.ofHours(1);

    private static final Logger log = LoggerFactory.getLogger(Reconciliation.class);

    /** What one run did: the payments and refunds checked, and one line per change. */
    public record Result(int checked, List<String> changes) {}

    private record PendingRefund(long id, String intentRef, long amount) {}

    private final JdbcClient jdbc;
    private final PaymentProvider provider;
    private final Payments payments;
    private final TransactionTemplate transaction;
    private final Clock clock;

    Reconciliation(
            JdbcClient jdbc,
            PaymentProvider provider,
            Payments payments,
            TransactionTemplate transaction,
            Clock clock) {
        this.jdbc = jdbc;
        this.provider = provider;
        this.payments = payments;
        this.transaction = transaction;
        this.clock = clock;
    }

    /** Compares the workspace's payments in doubt with the provider and corrects them; {@code actor} null for the job. */
    public Result reconcile(long workspaceId, @Nullable Long actor) {
        List<String> inDoubt = jdbc.sql("""
                        select p.intent_ref from payments p join invoices i on i.id = p.invoice_id
                        where i.workspace_id = ? and p.provider = ? and p.intent_ref not like 'no-method-%'
                            and (p.status = 'requires_action' or (p.status = 'failed' and i.status = 'open'))
                        order by p.id
                        """)
                .params(workspaceId, provider.name())
                .query(String.class)
                .list();
        List<String> changes = new ArrayList<>();
        for (String ref : inDoubt) {
            try {
                Payment truth = provider.payment(ref);
                String effect = transaction.execute(status -> payments.settle(truth));
                if (effect != null && !effect.startsWith("none")) {
                    changes.add(ref + ": " + effect);
                }
            } catch (ProviderUnavailableException e) {
                changes.add(ref + ": not checked, the provider could not be reached");
            }
        }
        List<PendingRefund> refunds = pendingRefunds(workspaceId);
        for (PendingRefund refund : refunds) {
            changes.add("refund " + refund.id() + ": " + askAgain(refund));
        }
        int checked = inDoubt.size() + refunds.size();
        jdbc.sql("insert into billing_reconciliations (workspace_id, actor_id, ran_at, checked, changes)"
                        + " values (?, ?, ?, ?, ?)")
                .params(workspaceId, actor, Sql.at(clock.instant()), checked, String.join("\n", changes))
                .update();
        return new Result(checked, List.copyOf(changes));
    }

    /** Every day: each workspace with a payment waiting or failed on an open invoice for an hour, or a refund pending. */
    @Scheduled(cron = "${tandem.billing.reconcile-cron:0 15 4 * * *}", zone = "UTC")
    public int reconcileInDoubt() {
        Instant before = clock.instant().minus(IN_DOUBT_AFTER);
        List<Long> workspaces = jdbc.sql("""
                        select distinct i.workspace_id from payments p join invoices i on i.id = p.invoice_id
                        where i.workspace_id is not null and p.provider = ? and p.updated_at <= ?
                            and (p.status = 'requires_action' or (p.status = 'failed' and i.status = 'open')
                                or exists (select 1 from refunds r where r.payment_id = p.id and r.status = 'pending'))
                        """)
                .params(provider.name(), Sql.at(before))
                .query(Long.class)
                .list();
        int changed = 0;
        for (long workspace : workspaces) {
            changed += reconcile(workspace, null).changes().size();
        }
        if (!workspaces.isEmpty()) {
            log.info("Reconciled {} workspaces with {}: {} changes", workspaces.size(), provider.name(), changed);
        }
        return changed;
    }

    private List<PendingRefund> pendingRefunds(long workspaceId) {
        return jdbc.sql("""
                        select r.id, p.intent_ref, r.amount from refunds r join payments p on p.id = r.payment_id
                            join invoices i on i.id = p.invoice_id
                        where i.workspace_id = ? and r.status = 'pending' and p.provider = ?
                        order by r.id
                        """)
                .params(workspaceId, provider.name())
                .query((row, n) -> new PendingRefund(row.getLong(1), row.getString(2), row.getLong(3)))
                .list();
    }

    private String askAgain(PendingRefund refund) {
        try {
            return record(refund.id(), provider.refund(refund.intentRef(), refund.amount(), key(refund.id())));
        } catch (ProviderUnavailableException e) {
            return "still pending, the provider could not be reached";
        }
    }

    /** The idempotency key of refund {@code id}: the same for every ask. */
    static String key(long refundId) {
        return "refund-" + refundId;
    }

    /** Records the provider's answer to refund {@code id} while it is pending; what it became. */
    String record(long id, PaymentProvider.Refund answer) {
        String status = answer.outcome() == Outcome.FAILED ? "failed" : "succeeded";
        jdbc.sql("update refunds set status = ?, refund_ref = ?, failure_reason = ?, updated_at = ?"
                        + " where id = ? and status = 'pending'")
                .params(status, answer.refundRef(), answer.failure(), Sql.at(clock.instant()), id)
                .update();
        return status + (answer.failure() == null ? "" : " (" + answer.failure() + ")");
    }
}
