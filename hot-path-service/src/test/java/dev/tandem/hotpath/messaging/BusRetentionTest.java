package dev.tandem.hotpath.messaging;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tandem.hotpath.TestData;
import dev.tandem.hotpath.TestServersResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Old sent outbox rows and old inbox rows go; only this service's, and only old ones. */
@QuarkusTest
@WithTestResource(TestServersResource.class)
class BusRetentionTest {

    private static final Instant CUTOFF = Instant.now().minus(7, ChronoUnit.DAYS);
    private static final Duration WAIT = Duration.ofSeconds(30);

    @Inject
    BusRetention retention;

    @Test
    void deletesOnlyThisServicesOutboxRowsSentBeforeTheCutoff() {
        UUID oldSent = outboxRow("hot-path-service", CUTOFF.minusSeconds(60));
        UUID recentSent = outboxRow("hot-path-service", CUTOFF.plusSeconds(60));
        UUID unsent = outboxRow("hot-path-service", null);
        UUID othersOldSent = outboxRow("core-app", CUTOFF.minusSeconds(60));

        retention.forgetSentEvents(CUTOFF).await().atMost(WAIT);

        assertThat(outboxExists(oldSent)).as("sent before the cutoff").isFalse();
        assertThat(outboxExists(recentSent)).as("sent after the cutoff").isTrue();
        assertThat(outboxExists(unsent)).as("never sent, however old").isTrue();
        assertThat(outboxExists(othersOldSent)).as("core-app's row").isTrue();
    }

    @Test
    void deletesOnlyTheInboxRowsOfThisServicesQueuesOlderThanTheCutoff() {
        String oldEvent = inboxRow("hot-path.account-erasure", CUTOFF.minusSeconds(60));
        String oldTask = inboxRow("hot-path.tasks.content-import", CUTOFF.minusSeconds(60));
        String recent = inboxRow("hot-path.account-erasure", CUTOFF.plusSeconds(60));
        String othersOld = inboxRow("core.content-activity", CUTOFF.minusSeconds(60));

        retention.forgetAppliedMessages(CUTOFF).await().atMost(WAIT);

        assertThat(inboxExists("hot-path.account-erasure", oldEvent)).isFalse();
        assertThat(inboxExists("hot-path.tasks.content-import", oldTask)).isFalse();
        assertThat(inboxExists("hot-path.account-erasure", recent)).isTrue();
        assertThat(inboxExists("core.content-activity", othersOld)).isTrue();
    }

    @Test
    void deletesMoreRowsThanOneBatchInOneRun() {
        TestData.execute("""
                insert into inbox (consumer, message_id, event_type, received_at)
                select 'hot-path.account-erasure', 'retention-' || gen_random_uuid(), 'user.deleted', ?
                from generate_series(1, ?)
                """, utc(CUTOFF.minusSeconds(60)), BusRetention.BATCH + 5);

        long deleted = retention.forgetAppliedMessages(CUTOFF).await().atMost(WAIT);

        assertThat(deleted).isGreaterThanOrEqualTo(BusRetention.BATCH + 5);
        assertThat(TestData.queryLong(
                        "select count(*) from inbox where consumer = 'hot-path.account-erasure' and received_at < ?",
                        utc(CUTOFF)))
                .isZero();
    }

    private static UUID outboxRow(String producer, Instant sentAt) {
        UUID id = UUID.randomUUID();
        // Created long ago; held back (next_attempt_at) so the running relay leaves unsent rows alone.
        TestData.execute(
                """
                insert into outbox (event_id, producer, event_type, event_version, routing_key, payload,
                                    created_at, sent_at, next_attempt_at)
                values (?, ?, 'test.retention', 1, 'test.retention', '{}'::jsonb, ?, ?, now() + interval '1 day')
                """, id, producer, utc(CUTOFF.minus(30, ChronoUnit.DAYS)), sentAt == null ? null : utc(sentAt));
        return id;
    }

    private static boolean outboxExists(UUID id) {
        return TestData.queryLong("select count(*) from outbox where event_id = ?", id) == 1;
    }

    private static String inboxRow(String consumer, Instant receivedAt) {
        String id = "retention-" + UUID.randomUUID();
        TestData.execute(
                "insert into inbox (consumer, message_id, event_type, received_at) values (?, ?, 'test.retention', ?)",
                consumer,
                id,
                utc(receivedAt));
        return id;
    }

    private static boolean inboxExists(String consumer, String id) {
        return TestData.queryLong("select count(*) from inbox where consumer = ? and message_id = ?", consumer, id)
                == 1;
    }

    private static OffsetDateTime utc(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC);
    }
}
