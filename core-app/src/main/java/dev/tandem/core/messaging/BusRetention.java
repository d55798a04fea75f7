package dev.tandem.core.messaging;

import dev.tandem.schema.events.Events;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.function.IntSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Keeps core-app's ends of the bus from growing without bound: every hour it deletes its outbox
 * rows sent longer ago than {@code tandem.outbox.keep-sent} and its consumers' inbox rows older
 * than {@code tandem.bus.keep-applied}. Only core-app's own rows (producer core-app, consumers
 * declared here): hot-path-service keeps its own. Deleted in batches, so no run holds many locks
 * or a long transaction; several instances running it at once delete the same rows harmlessly.
 *
 * <p>An inbox row must outlive every redelivery of its message: the broker redelivers within
 * minutes, a relay republishes an unconfirmed row within its confirm timeout, and a dead letter
 * was never applied, so it has no row to lose. Days are ample; the default is 30.
 */
@Component
class BusRetention {

    private static final Logger log = LoggerFactory.getLogger(BusRetention.class);
    static final int BATCH = 10_000;

    private final JdbcClient jdbc;
    private final Clock clock;
    private final Duration keepSent;
    private final Duration keepApplied;
    private final String[] consumers;

    BusRetention(
            JdbcClient jdbc, Clock clock, OutboxProperties outbox, BusProperties bus, List<EventConsumer> consumers) {
        this.jdbc = jdbc;
        this.clock = clock;
        this.keepSent = outbox.keepSent();
        this.keepApplied = bus.keepApplied();
        this.consumers = consumers.stream().map(EventConsumer::queue).toArray(String[]::new);
    }

    @Scheduled(initialDelayString = "PT5M", fixedDelayString = "PT1H")
    void forgetOld() {
        Instant now = clock.instant();
        long sent = forgetSentEvents(now.minus(keepSent));
        long applied = forgetAppliedMessages(now.minus(keepApplied));
        if (sent + applied > 0) {
            log.info("Bus retention deleted {} sent outbox rows and {} inbox rows", sent, applied);
        }
    }

    /** Deletes core-app's outbox rows sent before {@code before}; the number deleted. */
    long forgetSentEvents(Instant before) {
        return inBatches(() -> jdbc.sql("""
                        delete from outbox where seq in (
                            select seq from outbox
                            where sent_at < ? and producer = ?
                            limit ?)
                        """)
                .params(utc(before), Events.PRODUCER_CORE_APP, BATCH)
                .update());
    }

    /** Deletes the inbox rows of core-app's consumers received before {@code before}; the number deleted. */
    long forgetAppliedMessages(Instant before) {
        if (consumers.length == 0) {
            return 0;
        }
        return inBatches(
                () -> jdbc.sql("""
                        delete from inbox where (consumer, message_id) in (
                            select consumer, message_id from inbox
                            where received_at < ? and consumer = any(?)
                            limit ?)
                        """).params(utc(before), consumers, BATCH).update());
    }

    private static OffsetDateTime utc(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC);
    }

    private static long inBatches(IntSupplier batch) {
        long total = 0;
        int deleted;
        do {
            deleted = batch.getAsInt();
            total += deleted;
        } while (deleted == BATCH);
        return total;
    }
}
