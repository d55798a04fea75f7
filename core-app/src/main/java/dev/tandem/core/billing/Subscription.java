package dev.tandem.core.billing;

import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * A workspace's subscription, the aggregate of billing (docs/billing.md has its state diagram).
 * Every transition is one method that refuses what the state does not allow ({@link
 * BillingRuleException}, with the reason a person can read) and returns the {@link Change} that the
 * repository records in the history and publishes as {@code subscription.changed}. Nothing here
 * reads the clock: each method is given the instant it happens at.
 */
public final class Subscription {

    public enum Status {
        INCOMPLETE,
        TRIALING,
        ACTIVE,
        PAST_DUE,
        CANCELED;

        public String code() {
            return name().toLowerCase(Locale.ROOT);
        }

        public static Status of(String code) {
            return valueOf(code.toUpperCase(Locale.ROOT));
        }

        boolean live() {
            return this != CANCELED;
        }
    }

    /** One transition: what was done, from which status and plan. */
    public record Change(
            String action, @Nullable Status from, @Nullable String fromPlan, String note) {}

    /** A change of plan: its proration (none during a trial), and whether a new period started now. */
    public record PlanChange(Change change, Optional<Proration> proration, boolean periodRestarted) {}

    private @Nullable Long id;
    private final long workspaceId;
    private long planId;
    private String planCode;
    private long priceId;
    private BillingInterval interval;
    private Status status;
    private Instant anchor;
    private Instant periodStart;
    private Instant periodEnd;
    private @Nullable Instant trialEnd;
    private boolean cancelAtPeriodEnd;
    private @Nullable Instant canceledAt;
    private final long version;

    Subscription(
            @Nullable Long id,
            long workspaceId,
            long planId,
            String planCode,
            long priceId,
            BillingInterval interval,
            Status status,
            Instant anchor,
            Instant periodStart,
            Instant periodEnd,
            @Nullable Instant trialEnd,
            boolean cancelAtPeriodEnd,
            @Nullable Instant canceledAt,
            long version) {
        this.id = id;
        this.workspaceId = workspaceId;
        this.planId = planId;
        this.planCode = planCode;
        this.priceId = priceId;
        this.interval = interval;
        this.status = status;
        this.anchor = anchor;
        this.periodStart = periodStart;
        this.periodEnd = periodEnd;
        this.trialEnd = trialEnd;
        this.cancelAtPeriodEnd = cancelAtPeriodEnd;
        this.canceledAt = canceledAt;
        this.version = version;
    }

    /**
     * A new subscription: {@code trialing} until the plan's trial ends when {@code trial} is
     * allowed, else {@code incomplete} until its first invoice is paid.
     */
    public static Subscription start(long workspaceId, Plan plan, Price price, Instant now, boolean trial) {
        if (!price.active() || price.planId() != plan.id()) {
            throw new BillingRuleException("That price is no longer sold; choose a plan again.");
        }
        if (price.unitAmount() == 0) {
            throw new BillingRuleException("Free needs no subscription.");
        }
        if (trial && plan.trialDays() > 0) {
            Instant trialEnd = now.plus(Duration.ofDays(plan.trialDays()));
            return new Subscription(
                    null,
                    workspaceId,
                    plan.id(),
                    plan.code(),
                    price.id(),
                    price.interval(),
                    Status.TRIALING,
                    trialEnd,
                    now,
                    trialEnd,
                    trialEnd,
                    false,
                    null,
                    0);
        }
        return new Subscription(
                null,
                workspaceId,
                plan.id(),
                plan.code(),
                price.id(),
                price.interval(),
                Status.INCOMPLETE,
                now,
                now,
                price.interval().boundary(now, 1),
                null,
                false,
                null,
                0);
    }

    /** The first invoice, or a past-due one, was paid. */
    public Change paymentSucceeded() {
        require(status == Status.INCOMPLETE || status == Status.PAST_DUE, "There is no payment due.");
        return move(Status.ACTIVE, "payment_succeeded", "");
    }

    /** A renewal invoice could not be collected. */
    public Change paymentFailed() {
        require(status == Status.ACTIVE, "Only an active subscription falls past due.");
        return move(Status.PAST_DUE, "payment_failed", "");
    }

    /**
     * Moves to {@code plan} at {@code price} at {@code now}, with {@code seats} members. In the same
     * interval the period goes on and the difference is prorated; a change between monthly and
     * yearly ends the period now (the unused time credited) and starts a new one, invoiced at once.
     * During a trial nothing is prorated: the trial goes on with the new plan.
     */
    public PlanChange changePlan(Plan plan, Price price, Price current, int seats, int currentIncluded, Instant now) {
        require(
                status == Status.TRIALING || status == Status.ACTIVE,
                status == Status.PAST_DUE
                        ? "Pay the open invoice before changing plan."
                        : status == Status.INCOMPLETE
                                ? "Complete the first payment before changing plan."
                                : "This subscription has ended; start a new one.");
        require(price.active() && price.planId() == plan.id(), "That price is no longer sold; choose a plan again.");
        require(price.id() != priceId, "The workspace is already on that plan.");
        require(price.unitAmount() > 0, "To move to Free, cancel the subscription: it ends with the period.");
        require(price.currency().equals(current.currency()), "A plan change keeps the currency.");
        require(!now.isBefore(periodStart) && now.isBefore(periodEnd), "The period has ended; it renews first.");
        String fromPlan = planCode;
        Optional<Proration> proration = Optional.empty();
        boolean restart = false;
        if (status == Status.ACTIVE) {
            long oldAmount = current.periodAmount(seats, currentIncluded);
            if (price.interval() == interval) {
                long newAmount = price.periodAmount(seats, plan.includedSeats());
                proration = Optional.of(Proration.of(oldAmount, newAmount, periodStart, periodEnd, now));
            } else {
                proration = Optional.of(Proration.of(oldAmount, 0, periodStart, periodEnd, now));
                restart = true;
                anchor = now;
                periodStart = now;
                periodEnd = price.interval().boundary(now, 1);
            }
        }
        planId = plan.id();
        planCode = plan.code();
        priceId = price.id();
        interval = price.interval();
        return new PlanChange(new Change("plan_changed", status, fromPlan, ""), proration, restart);
    }

    /** Ends the subscription when the period ends (a first payment still pending: ends it now). */
    public Change cancel(Instant now) {
        require(status.live(), "This subscription has already ended.");
        if (status == Status.INCOMPLETE) {
            canceledAt = now;
            return move(Status.CANCELED, "canceled", "before its first payment");
        }
        require(!cancelAtPeriodEnd, "This subscription already ends with the period.");
        cancelAtPeriodEnd = true;
        return new Change("cancel_scheduled", status, planCode, "");
    }

    /** Takes back a cancellation before the period ends. */
    public Change resume(Instant now) {
        require(status.live() && cancelAtPeriodEnd, "This subscription is not set to end.");
        require(now.isBefore(periodEnd), "The period has ended.");
        cancelAtPeriodEnd = false;
        return new Change("resumed", status, planCode, "");
    }

    /** Whether the period has ended and {@link #renew} has work to do. */
    public boolean due(Instant now) {
        return status.live() && !periodEnd.isAfter(now);
    }

    /**
     * At the end of the period: ends it (set to cancel, or a first payment never made), or starts
     * the next period (a trial becomes active: its first invoice is the renewal's).
     */
    public Change renew() {
        require(status.live(), "This subscription has ended.");
        if (cancelAtPeriodEnd || status == Status.INCOMPLETE) {
            canceledAt = periodEnd;
            return move(Status.CANCELED, "ended", status == Status.INCOMPLETE ? "first payment never made" : "");
        }
        Status from = status;
        periodStart = periodEnd;
        periodEnd = interval.nextBoundary(anchor, periodStart);
        if (status == Status.TRIALING) {
            status = Status.ACTIVE;
        }
        return new Change("renewed", from, planCode, "");
    }

    /** Ends the subscription now, whatever its period (its workspace was closed). */
    public Change endNow(Instant now, String reason) {
        require(status.live(), "This subscription has already ended.");
        canceledAt = now;
        return move(Status.CANCELED, "ended", reason);
    }

    /** Staff: a trial lasts {@code days} longer. */
    public Change extendTrial(int days) {
        require(status == Status.TRIALING, "Only a trial can be extended.");
        require(days >= 1 && days <= 90, "Extend a trial by 1 to 90 days.");
        trialEnd = periodEnd.plus(Duration.ofDays(days));
        periodEnd = trialEnd;
        anchor = trialEnd;
        return new Change("trial_extended", status, planCode, "+" + days + " days");
    }

    private Change move(Status to, String action, String note) {
        Status from = status;
        status = to;
        return new Change(action, from, planCode, note);
    }

    private static void require(boolean condition, String reason) {
        if (!condition) {
            throw new BillingRuleException(reason);
        }
    }

    void assignId(long id) {
        this.id = id;
    }

    public long id() {
        if (id == null) {
            throw new IllegalStateException("not saved yet");
        }
        return id;
    }

    public long workspaceId() {
        return workspaceId;
    }

    public long planId() {
        return planId;
    }

    public String planCode() {
        return planCode;
    }

    public long priceId() {
        return priceId;
    }

    public BillingInterval interval() {
        return interval;
    }

    public Status status() {
        return status;
    }

    public Instant anchor() {
        return anchor;
    }

    public Instant periodStart() {
        return periodStart;
    }

    public Instant periodEnd() {
        return periodEnd;
    }

    public @Nullable Instant trialEnd() {
        return trialEnd;
    }

    public boolean cancelAtPeriodEnd() {
        return cancelAtPeriodEnd;
    }

    public @Nullable Instant canceledAt() {
        return canceledAt;
    }

    public long version() {
        return version;
    }
}
