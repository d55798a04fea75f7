package dev.tandem.core.messaging;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tandem.core.IntegrationTest;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

class BusRetentionTests extends IntegrationTest {

    private static final Instant NOW = Instant.now();
    private static final Instant CUTOFF = NOW.minus(7, ChronoUnit.DAYS);

    @Autowired
    BusRetention retention;

    @Autowired
    JdbcClient jdbc;

    @Test
    void deletesOnlyCoreAppsOutboxRowsSentBeforeTheCutoff() {
        UUID oldSent = outboxRow("core-app", CUTOFF.minusSeconds(60));
        UUID recentSent = outboxRow("core-app", CUTOFF.plusSeconds(60));
        UUID unsent = outboxRow("core-app", null);
        UUID othersOldSent = outboxRow("hot-path-service", CUTOFF.minusSeconds(60));

        retention.forgetSentEvents(CUTOFF);

        assertThat(outboxExists(oldSent)).as("sent before the cutoff").isFalse();
        assertThat(outboxExists(recentSent)).as("sent after the cutoff").isTrue();
        assertThat(outboxExists(unsent)).as("never sent, however old").isTrue();
        assertThat(outboxExists(othersOldSent)).as("hot-path-service's row").isTrue();
    }

    @Test
    void deletesOnlyCoreAppsConsumersInboxRowsOlderThanTheCutoff() {
        String old = inboxRow("core.content-activity", CUTOFF.minusSeconds(60));
        String recent = inboxRow("core.content-activity", CUTOFF.plusSeconds(60));
        String othersOld = inboxRow("hot-path.account-erasure", CUTOFF.minusSeconds(60));

        retention.forgetAppliedMessages(CUTOFF);

        assertThat(inboxExists("core.content-activity", old)).isFalse();
        assertThat(inboxExists("core.content-activity", recent)).isTrue();
        assertThat(inboxExists("hot-path.account-erasure", othersOld)).isTrue();
    }

    @Test
    void deletesMoreRowsThanOneBatchInOneRun() {
        Instant old = CUTOFF.minusSeconds(60);
        jdbc.sql("""
                        insert into inbox (consumer, message_id, event_type, received_at)
                        select 'core.billing-usage', 'retention-' || gen_random_uuid(), 'usage.recorded', ?
                        from generate_series(1, ?)
                        """).params(utc(old), BusRetention.BATCH + 5).update();

        long deleted = retention.forgetAppliedMessages(CUTOFF);

        assertThat(deleted).isGreaterThanOrEqualTo(BusRetention.BATCH + 5);
        assertThat(jdbc.sql("select count(*) from inbox where consumer = 'core.billing-usage' and received_at < ?")
                        .param(utc(CUTOFF))
                        .query(Long.class)
                        .single())
                .isZero();
    }

    private UUID outboxRow(String producer, Instant sentAt) {
        UUID id = UUID.randomUUID();
        jdbc.sql("""
                        insert into outbox (event_id, producer, event_type, event_version, routing_key, payload,
                                            created_at, sent_at, next_attempt_at)
                        values (?, ?, 'test.retention', 1, 'test.retention', '{}'::jsonb, ?, ?, now() + interval '1 day')
                        """)
                // Created long ago; held back (next_attempt_at) so the running relay leaves unsent rows alone.
                .params(id, producer, utc(CUTOFF.minus(30, ChronoUnit.DAYS)), sentAt == null ? null : utc(sentAt))
                .update();
        return id;
    }

    private boolean outboxExists(UUID id) {
        return jdbc.sql("select count(*) from outbox where event_id = ?")
                        .param(id)
                        .query(Long.class)
                        .single()
                == 1;
    }

    private String inboxRow(String consumer, Instant receivedAt) {
        String id = "retention-" + UUID.randomUUID();
        jdbc.sql("insert into inbox (consumer, message_id, event_type, received_at) values (?, ?, 'test.retention', ?)")
                .params(consumer, id, utc(receivedAt))
                .update();
        return id;
    }

    private boolean inboxExists(String consumer, String id) {
        return jdbc.sql("select count(*) from inbox where consumer = ? and message_id = ?")
                        .params(consumer, id)
                        .query(Long.class)
                        .single()
                == 1;
    }

    private static OffsetDateTime utc(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC);
    }
}
