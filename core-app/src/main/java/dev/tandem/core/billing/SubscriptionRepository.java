package dev.tandem.core.billing;

import dev.tandem.core.billing.Subscription.Change;
import dev.tandem.core.messaging.Outbox;
import dev.tandem.core.platform.Sql;
import dev.tandem.schema.events.Events;
import dev.tandem.schema.events.SubscriptionChanged;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/**
 * Loads and saves {@link Subscription}s. Every change is made under the row's lock ({@code for
 * update}), and {@link #save} writes the row, its history line and {@code subscription.changed} in
 * the caller's transaction: a transition is never saved without its event, nor published without
 * its row.
 */
@Repository
class SubscriptionRepository {

    private static final String SELECT = "select s.id, s.workspace_id, s.plan_id, p.code as plan_code, s.price_id,"
            + " pp.billing_interval, s.status, s.billing_anchor, s.current_period_start, s.current_period_end,"
            + " s.trial_end, s.cancel_at_period_end, s.canceled_at, s.version"
            + " from subscriptions s join plans p on p.id = s.plan_id join plan_prices pp on pp.id = s.price_id";

    private final JdbcClient jdbc;
    private final Outbox outbox;
    private final Clock clock;

    SubscriptionRepository(JdbcClient jdbc, Outbox outbox, Clock clock) {
        this.jdbc = jdbc;
        this.outbox = outbox;
        this.clock = clock;
    }

    /** The workspace's live subscription, read without a lock (pages). */
    Optional<Subscription> live(long workspaceId) {
        return jdbc.sql(SELECT + " where s.workspace_id = ? and s.status <> 'canceled'")
                .param(workspaceId)
                .query(SubscriptionRepository::map)
                .optional();
    }

    /*
     * Each lock is taken on subscriptions alone, then the row is read with its plan and price. A
     * FOR UPDATE over the join would, after waiting for a plan change, re-check the changed row
     * against the price row it had joined before the wait, find they no longer match, and return
     * nothing (PostgreSQL's re-check does not fetch the other tables again).
     */

    /** The workspace's live subscription, locked until the transaction ends. */
    @Transactional(propagation = Propagation.MANDATORY)
    Optional<Subscription> lockLive(long workspaceId) {
        return jdbc.sql("select id from subscriptions where workspace_id = ? and status <> 'canceled' for update")
                .param(workspaceId)
                .query(Long.class)
                .optional()
                .flatMap(this::read);
    }

    @Transactional(propagation = Propagation.MANDATORY)
    Optional<Subscription> lock(long id) {
        return jdbc.sql("select id from subscriptions where id = ? for update")
                .param(id)
                .query(Long.class)
                .optional()
                .flatMap(this::read);
    }

    /**
     * Up to {@code limit} live subscriptions whose period ended by {@code now}, locked; rows another
     * transaction holds are skipped (another instance renews them).
     */
    @Transactional(propagation = Propagation.MANDATORY)
    List<Subscription> lockDue(Instant now, int limit) {
        Long[] ids = jdbc.sql("select id from subscriptions where status <> 'canceled' and current_period_end <= ?"
                        + " order by current_period_end, id limit ? for update skip locked")
                .params(Sql.at(now), limit)
                .query(Long.class)
                .list()
                .toArray(Long[]::new);
        return jdbc.sql(SELECT + " where s.id = any(?::bigint[]) order by s.current_period_end, s.id")
                .param(ids)
                .query(SubscriptionRepository::map)
                .list();
    }

    private Optional<Subscription> read(long id) {
        return jdbc.sql(SELECT + " where s.id = ?")
                .param(id)
                .query(SubscriptionRepository::map)
                .optional();
    }

    /** Inserts a new subscription with its first history line and event. */
    @Transactional(propagation = Propagation.MANDATORY)
    void insert(Subscription subscription, @Nullable Long actor) {
        Instant now = clock.instant();
        long id = jdbc.sql("""
                        insert into subscriptions (workspace_id, plan_id, price_id, status, billing_anchor,
                            current_period_start, current_period_end, trial_end, created_at, updated_at)
                        values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) returning id
                        """)
                .params(
                        subscription.workspaceId(),
                        subscription.planId(),
                        subscription.priceId(),
                        subscription.status().code(),
                        Sql.at(subscription.anchor()),
                        Sql.at(subscription.periodStart()),
                        Sql.at(subscription.periodEnd()),
                        Sql.at(subscription.trialEnd()),
                        Sql.at(now),
                        Sql.at(now))
                .query(Long.class)
                .single();
        subscription.assignId(id);
        record(subscription, new Change("started", null, null, ""), actor);
    }

    /** Writes the subscription as {@code change} left it, with the history line and the event. */
    @Transactional(propagation = Propagation.MANDATORY)
    void save(Subscription subscription, Change change, @Nullable Long actor) {
        jdbc.sql("""
                        update subscriptions set plan_id = ?, price_id = ?, status = ?, billing_anchor = ?,
                            current_period_start = ?, current_period_end = ?, trial_end = ?,
                            cancel_at_period_end = ?, canceled_at = ?, updated_at = ?, version = version + 1
                        where id = ?
                        """)
                .params(
                        subscription.planId(),
                        subscription.priceId(),
                        subscription.status().code(),
                        Sql.at(subscription.anchor()),
                        Sql.at(subscription.periodStart()),
                        Sql.at(subscription.periodEnd()),
                        Sql.at(subscription.trialEnd()),
                        subscription.cancelAtPeriodEnd(),
                        Sql.at(subscription.canceledAt()),
                        Sql.at(clock.instant()),
                        subscription.id())
                .update();
        record(subscription, change, actor);
    }

    private void record(Subscription subscription, Change change, @Nullable Long actor) {
        jdbc.sql("""
                        insert into subscription_history (subscription_id, occurred_at, actor_id, action,
                            from_status, to_status, plan_code, note)
                        values (?, ?, ?, ?, ?, ?, ?, ?)
                        """)
                .params(
                        subscription.id(),
                        Sql.at(clock.instant()),
                        actor,
                        change.action(),
                        change.from() == null ? null : change.from().code(),
                        subscription.status().code(),
                        subscription.planCode(),
                        change.note())
                .update();
        boolean ended = subscription.status() == Subscription.Status.CANCELED;
        outbox.append(
                Events.SUBSCRIPTION_CHANGED,
                new SubscriptionChanged(
                        subscription.workspaceId(),
                        subscription.id(),
                        ended ? Plan.FREE : subscription.planCode(),
                        subscription.status().code(),
                        change.fromPlan(),
                        change.from() == null ? null : change.from().code(),
                        subscription.periodEnd(),
                        subscription.cancelAtPeriodEnd()));
    }

    private static Subscription map(ResultSet row, int n) throws SQLException {
        return new Subscription(
                row.getLong("id"),
                row.getLong("workspace_id"),
                row.getLong("plan_id"),
                row.getString("plan_code"),
                row.getLong("price_id"),
                BillingInterval.of(row.getString("billing_interval")),
                Subscription.Status.of(row.getString("status")),
                instant(row, "billing_anchor"),
                instant(row, "current_period_start"),
                instant(row, "current_period_end"),
                nullableInstant(row, "trial_end"),
                row.getBoolean("cancel_at_period_end"),
                nullableInstant(row, "canceled_at"),
                row.getLong("version"));
    }

    private static Instant instant(ResultSet row, String column) throws SQLException {
        return row.getTimestamp(column).toInstant();
    }

    private static @Nullable Instant nullableInstant(ResultSet row, String column) throws SQLException {
        Timestamp value = row.getTimestamp(column);
        return value == null ? null : value.toInstant();
    }
}
