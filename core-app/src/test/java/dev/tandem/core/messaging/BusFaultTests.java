package dev.tandem.core.messaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tandem.core.IntegrationTest;
import dev.tandem.core.TestAccounts;
import dev.tandem.devstack.testing.TestServers;
import dev.tandem.schema.events.EventEnvelope;
import dev.tandem.schema.events.Events;
import dev.tandem.schema.events.PostCreated;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.amqp.core.MessageBuilder;
import org.springframework.amqp.core.MessageDeliveryMode;
import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Ten thousand events through the whole path, outbox → relay → broker → consumer → inbox, while
 * the broker is stopped for two seconds and restarted, then core-app's connection is cut (every
 * channel at once: the relay's unconfirmed publishes and the consumers' unacknowledged
 * deliveries), and a thousand events are delivered a second time, as after a relay crash between
 * confirm and mark: 0 lost and 0 duplicate effects,
 * counted from the database. The rate and the outbox lag are written to {@code
 * target/bus-throughput.txt} (a measurement, not an assertion).
 */
// The broker restarted and connections cut: a hang ends with a thread dump, not at CI's limit.
@Timeout(value = 10, unit = TimeUnit.MINUTES)
class BusFaultTests extends IntegrationTest {

    private static final int EVENTS = 10_000;
    private static final int AUTHORS = 50;

    @Autowired
    Outbox outbox;

    @Autowired
    TransactionTemplate transaction;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    CachingConnectionFactory connections;

    @Autowired
    RabbitTemplate rabbit;

    @Test
    void tenThousandEventsThroughConnectionLossAndRedeliveryLoseNothingAndApplyOnce() throws Exception {
        TestAccounts accounts = new TestAccounts(jdbc);
        List<Long> authors = new ArrayList<>();
        for (int i = 0; i < AUTHORS; i++) {
            authors.add(accounts.active(TestAccounts.uniqueEmail("bulk")));
        }
        Long[] ids = authors.toArray(Long[]::new);
        long firstSeq = jdbc.sql("select coalesce(max(seq), 0) + 1 from outbox")
                .query(Long.class)
                .single();
        List<EventEnvelope<PostCreated>> sent = new ArrayList<>(EVENTS);

        Instant start = Instant.now();
        for (int batch = 0; batch < EVENTS / 500; batch++) {
            int first = batch * 500;
            transaction.executeWithoutResult(status -> {
                for (int i = first; i < first + 500; i++) {
                    sent.add(outbox.append(
                            Events.POST_CREATED,
                            new PostCreated(i + 1, authors.get(i % AUTHORS), "bulk " + i, Instant.now(), null)));
                }
            });
        }
        Instant committed = Instant.now();

        Progress progress = new Progress(ids, firstSeq, sent);
        // The faults are injected from this thread; the clients' own threads fail while the broker
        // is down, as they must (and recover): not a failure of the wait.
        await().alias("all " + EVENTS + " events applied")
                .atMost(Duration.ofMinutes(5))
                .pollInterval(Duration.ofMillis(20))
                .pollInSameThread()
                .dontCatchUncaughtExceptions()
                .until(progress::step);
        Instant done = Instant.now();
        // Anything still on its way lands meanwhile, and must change nothing (a check that can only
        // miss a late duplicate on a slow machine, never fail on one).
        await().during(Duration.ofSeconds(1))
                .atMost(Duration.ofMinutes(1))
                .dontCatchUncaughtExceptions()
                .until(() -> applied(ids) == EVENTS);

        assertThat(progress.firstCut && progress.secondCut)
                .as("both faults happened mid-run")
                .isTrue();
        assertThat(applied(ids)).as("effects: none lost, none twice").isEqualTo(EVENTS);
        assertThat(jdbc.sql("select count(*) from inbox where consumer = 'core.content-activity'"
                                + " and message_id = any(?)")
                        .param(sent.stream().map(event -> event.id().toString()).toArray(String[]::new))
                        .query(Long.class)
                        .single())
                .isEqualTo(EVENTS);
        assertThat(jdbc.sql("select count(*) from outbox where event_id = any(?) and sent_at is null")
                        .param(sent.stream().map(EventEnvelope::id).toArray(UUID[]::new))
                        .query(Long.class)
                        .single())
                .isZero();

        double seconds = Duration.between(start, done).toMillis() / 1000.0;
        double calmSeconds = Duration.between(start, progress.calmEnd).toMillis() / 1000.0;
        String report = String.format(
                "bus: before the faults, %d events applied in %.1f s (%.0f events/s end to end), largest"
                        + " outbox lag %.1f s; all %d events outbox -> relay -> broker -> consumer -> inbox in %.1f s"
                        + " (%.0f events/s, writes took %.1f s) with a broker restart (2 s down), a connection cut"
                        + " and 1000 redeliveries; largest outbox lag %.1f s%n",
                progress.calmApplied,
                calmSeconds,
                progress.calmApplied / calmSeconds,
                progress.calmLag,
                EVENTS,
                seconds,
                EVENTS / seconds,
                Duration.between(start, committed).toMillis() / 1000.0,
                progress.maxLag);
        System.out.print(report);
        Files.writeString(Path.of("target/bus-throughput.txt"), report, StandardCharsets.UTF_8);
    }

    /**
     * The run as it goes, sampled at each poll: effects applied and the outbox lag, and the faults,
     * each injected once the run has come that far.
     */
    private final class Progress {
        final Long[] ids;
        final long firstSeq;
        final List<EventEnvelope<PostCreated>> sent;
        double maxLag;
        double calmLag;
        long calmApplied;
        Instant calmEnd;
        boolean firstCut;
        boolean secondCut;

        Progress(Long[] ids, long firstSeq, List<EventEnvelope<PostCreated>> sent) {
            this.ids = ids;
            this.firstSeq = firstSeq;
            this.sent = sent;
        }

        /** One sample; true once every event has been applied. */
        boolean step() {
            long applied = applied(ids);
            maxLag = Math.max(maxLag, lagSeconds(firstSeq));
            if (!firstCut && applied >= EVENTS * 3 / 10) {
                calmEnd = Instant.now();
                calmApplied = applied;
                calmLag = maxLag;
                // Down for two seconds, then back with its durable queues: every client connection breaks.
                TestServers.restartBroker(Duration.ofSeconds(2));
                firstCut = true;
            } else if (firstCut && !secondCut && applied >= EVENTS * 6 / 10) {
                connections.resetConnection(); // every channel of core-app closes at once, mid-flight
                secondCut = true;
                redeliver(sent.subList(0, 1_000));
            }
            return applied >= EVENTS;
        }
    }

    /** Publishes these events again, straight to the exchange: what a relay that crashed after the confirm does. */
    private void redeliver(List<EventEnvelope<PostCreated>> events) {
        for (EventEnvelope<PostCreated> event : events) {
            rabbit.send(
                    Events.EXCHANGE,
                    event.type(),
                    MessageBuilder.withBody(jdbc.sql("select payload::text from outbox where event_id = ?")
                                    .param(event.id())
                                    .query(String.class)
                                    .single()
                                    .getBytes(StandardCharsets.UTF_8))
                            .setMessageId(event.id().toString())
                            .setContentType("application/json")
                            .setDeliveryMode(MessageDeliveryMode.PERSISTENT)
                            .build());
        }
    }

    private long applied(Long[] authors) {
        return jdbc.sql("select coalesce(sum(posts_written), 0) from account_activity where user_id = any(?)")
                .param(authors)
                .query(Long.class)
                .single();
    }

    /** The outbox lag of this test's events (other tests' rows may wait in back-off). */
    private double lagSeconds(long firstSeq) {
        return jdbc.sql("select coalesce(extract(epoch from now() - min(created_at)), 0)::float8 from outbox"
                        + " where producer = 'core-app' and sent_at is null and seq >= ?")
                .param(firstSeq)
                .query(Double.class)
                .single();
    }
}
