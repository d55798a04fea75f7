package dev.tandem.core.billing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tandem.core.IntegrationTest;
import dev.tandem.core.TestAccounts;
import dev.tandem.core.Waits;
import dev.tandem.schema.contracts.ContractValidator;
import dev.tandem.schema.events.EventEnvelope;
import dev.tandem.schema.events.Events;
import dev.tandem.schema.events.UsageRecorded;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.amqp.core.MessageBuilder;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.json.JsonMapper;

/** hot-path's usage.recorded events add up in the ledger, once each, through the real broker. */
class UsageLedgerTests extends IntegrationTest {

    @Autowired
    RabbitTemplate rabbit;

    @Autowired
    JsonMapper json;

    @Autowired
    JdbcClient jdbc;

    @Test
    void incrementsAddUpOncePerEventAndUnknownAccountsAreDropped() {
        long user = new TestAccounts(jdbc).active(TestAccounts.uniqueEmail("metered"));
        LocalDate today = LocalDate.parse("2026-11-25");
        EventEnvelope<UsageRecorded> first = event(List.of(
                new UsageRecorded.Entry(user, today, "api.calls", 100, null),
                new UsageRecorded.Entry(user, today, "storage.uploaded_bytes", 4096, null),
                new UsageRecorded.Entry(1_999_999_999L, today, "api.calls", 5, null)));
        EventEnvelope<UsageRecorded> second = event(List.of(
                new UsageRecorded.Entry(user, today, "api.calls", 20, null),
                new UsageRecorded.Entry(user, today.minusDays(1), "api.calls", 7, null)));

        publish(first);
        publish(first); // redelivered: no second effect
        publish(second);

        // The sum reaches 120 and stays there while a duplicate still on its way lands (a check that
        // can only miss a late duplicate on a slow machine, never fail on one).
        await().alias("120 api.calls, and no more")
                .during(Duration.ofMillis(500))
                .atMost(Waits.PATIENCE)
                .until(() -> used(user, today, "api.calls") == 120);
        assertThat(used(user, today, "storage.uploaded_bytes")).isEqualTo(4096);
        assertThat(used(user, today.minusDays(1), "api.calls")).isEqualTo(7);
        assertThat(jdbc.sql("select count(*) from billing_usage where user_id = 1999999999")
                        .query(Long.class)
                        .single())
                .isZero();
    }

    private static EventEnvelope<UsageRecorded> event(List<UsageRecorded.Entry> entries) {
        return EventEnvelope.of(
                Events.USAGE_RECORDED, Events.PRODUCER_HOT_PATH, Instant.now(), null, new UsageRecorded(entries));
    }

    private void publish(EventEnvelope<UsageRecorded> event) {
        String body = json.writeValueAsString(event);
        ContractValidator.assertValid(body);
        rabbit.send(
                Events.EXCHANGE,
                event.type(),
                MessageBuilder.withBody(body.getBytes(StandardCharsets.UTF_8))
                        .setMessageId(event.id().toString())
                        .setContentType("application/json")
                        .build());
    }

    private long used(long userId, LocalDate day, String metric) {
        return jdbc.sql("select coalesce(sum(quantity), 0) from billing_usage where user_id = ? and day = ?::date"
                        + " and metric = ?")
                .params(userId, day.toString(), metric)
                .query(Long.class)
                .single();
    }
}
