package dev.tandem.hotpath.limits;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.tandem.hotpath.auth.Caller;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * One token bucket per caller (Bucket4j): an account may make {@code capacity} calls in a burst,
 * refilled at {@code per-minute}; anonymous callers share a smaller bucket per client address.
 * Buckets live in this instance's memory (idle ones are dropped after ten minutes), so N instances
 * allow up to N times the rate; a shared bucket store (Bucket4j's PostgreSQL or Redis backends) is
 * the step up when that matters.
 */
@ApplicationScoped
public class RateLimits {

    /** The decision for one call, with what the RateLimit-* headers report. */
    public record Decision(boolean allowed, long limit, long remaining, long resetSeconds, long retryAfterSeconds) {

        /** The RateLimit-* headers of this decision, and Retry-After when refused. */
        public void headers(java.util.function.BiConsumer<String, String> header) {
            header.accept("RateLimit-Limit", Long.toString(limit));
            header.accept("RateLimit-Remaining", Long.toString(remaining));
            header.accept("RateLimit-Reset", Long.toString(resetSeconds));
            if (!allowed) {
                header.accept("Retry-After", Long.toString(retryAfterSeconds));
            }
        }
    }

    private final Cache<String, Bucket> buckets = Caffeine.newBuilder()
            .expireAfterAccess(Duration.ofMinutes(10))
            .maximumSize(200_000)
            .build();
    private final long capacity;
    private final long perMinute;
    private final long anonymousCapacity;
    private final long anonymousPerMinute;

    private final Usage usage;

    RateLimits(
            Usage usage,
            @ConfigProperty(name = "tandem.rate-limit.capacity") long capacity,
            @ConfigProperty(name = "tandem.rate-limit.per-minute") long perMinute,
            @ConfigProperty(name = "tandem.rate-limit.anonymous-capacity") long anonymousCapacity,
            @ConfigProperty(name = "tandem.rate-limit.anonymous-per-minute") long anonymousPerMinute) {
        this.usage = usage;
        this.capacity = capacity;
        this.perMinute = perMinute;
        this.anonymousCapacity = anonymousCapacity;
        this.anonymousPerMinute = anonymousPerMinute;
    }

    /**
     * Takes a token for this caller (an account, or the client address when anonymous) and, when
     * allowed, meters the call for the account.
     */
    public Decision admit(io.quarkus.security.identity.SecurityIdentity identity, String address) {
        if (identity.isAnonymous()) {
            return forAddress(address);
        }
        long userId = Long.parseLong(identity.getPrincipal().getName());
        Decision decision = forAccount(userId);
        Long workspaceId = identity.getAttribute(Caller.WORKSPACE);
        if (decision.allowed() && workspaceId != null) {
            usage.record(workspaceId, userId, Usage.API_CALLS, 1);
        }
        return decision;
    }

    /**
     * Charges a failed authentication to the client address (the anonymous bucket), so that
     * guessing tokens or keys is throttled like any anonymous traffic.
     */
    public Decision failedAttempt(String address) {
        return forAddress(address);
    }

    Decision forAccount(long userId) {
        return take("u" + userId, capacity, perMinute);
    }

    Decision forAddress(String address) {
        return take("a" + address, anonymousCapacity, anonymousPerMinute);
    }

    private Decision take(String key, long size, long refill) {
        Bucket bucket = buckets.get(
                key,
                k -> Bucket.builder()
                        .addLimit(limit -> limit.capacity(size).refillGreedy(refill, Duration.ofMinutes(1)))
                        .build());
        ConsumptionProbe probe = bucket.tryConsumeAndReturnRemaining(1);
        long reset = seconds(probe.getNanosToWaitForReset());
        return new Decision(
                probe.isConsumed(),
                size,
                probe.getRemainingTokens(),
                reset,
                probe.isConsumed() ? 0 : Math.max(1, seconds(probe.getNanosToWaitForRefill())));
    }

    private static long seconds(long nanos) {
        return (nanos + 999_999_999L) / 1_000_000_000L;
    }
}
