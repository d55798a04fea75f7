package dev.tandem.core.billing;

import java.time.Instant;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;

/** What billing's tests set up in the database: team workspaces, the catalogue's prices, a used trial. */
public final class BillingFixtures {

    private final JdbcClient jdbc;

    public BillingFixtures(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** A team workspace named {@code name} with {@code owner} as its owner. */
    public long workspace(long owner, String name) {
        long id = jdbc.sql("insert into workspaces (name, slug) values (?, ?) returning id")
                .params(name, "billing-" + UUID.randomUUID().toString().substring(0, 8))
                .query(Long.class)
                .single();
        jdbc.sql("insert into workspace_members (workspace_id, user_id, role) values (?, ?, 'owner')")
                .params(id, owner)
                .update();
        return id;
    }

    /** The active USD price of {@code plan} per {@code interval} ({@code month}, {@code year}). */
    public long price(String plan, String interval) {
        return jdbc.sql("select pp.id from plan_prices pp join plans p on p.id = pp.plan_id"
                        + " where p.code = ? and pp.billing_interval = ? and pp.active and pp.currency = 'USD'")
                .params(plan, interval)
                .query(Long.class)
                .single();
    }

    /** The status of the workspace's live subscription, or null when it has none. */
    public @Nullable String status(long workspace) {
        return jdbc.sql("select status from subscriptions where workspace_id = ? and status <> 'canceled'")
                .param(workspace)
                .query(String.class)
                .optional()
                .orElse(null);
    }

    /** When the current period of the workspace's live subscription ends. */
    public Instant periodEnd(long workspace) {
        return jdbc.sql("select current_period_end from subscriptions where workspace_id = ? and status <> 'canceled'")
                .param(workspace)
                .query((row, n) -> row.getTimestamp(1).toInstant())
                .single();
    }

    /** The workspace had a trial before (an ended subscription): its next one starts without. */
    public void trialUsed(long workspace) {
        jdbc.sql("""
                        insert into subscriptions (workspace_id, plan_id, price_id, status, billing_anchor,
                            current_period_start, current_period_end, trial_end, canceled_at)
                        select ?, plan_id, id, 'canceled', now() - interval '30 days', now() - interval '30 days',
                            now() - interval '16 days', now() - interval '16 days', now() - interval '16 days'
                        from plan_prices where id = ?
                        """).params(workspace, price("pro", "month")).update();
    }
}
