package dev.tandem.core.messaging;

import static dev.tandem.core.Waits.PATIENCE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tandem.core.IntegrationTest;
import dev.tandem.schema.contracts.ContractValidator;
import dev.tandem.schema.events.EventEnvelope;
import dev.tandem.schema.events.Events;
import dev.tandem.schema.events.UserRegistered;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.amqp.core.BindingBuilder;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.Queue;
import org.springframework.amqp.core.TopicExchange;
import org.springframework.amqp.rabbit.core.RabbitAdmin;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;

class OutboxTests extends IntegrationTest {

    @Autowired
    Outbox outbox;

    @Autowired
    TransactionTemplate transaction;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    RabbitAdmin admin;

    @Autowired
    RabbitTemplate rabbit;

    @Autowired
    TopicExchange events;

    private Queue probe;

    @BeforeEach
    void bindAProbeQueue() {
        // A plain durable queue, deleted after the test: exclusive auto-delete queues come and go
        // with channels differently on RabbitMQ and on the embedded broker.
        probe = new Queue("test.outbox." + UUID.randomUUID(), true, false, false);
        admin.declareQueue(probe);
        admin.declareBinding(BindingBuilder.bind(probe).to(events).with("user.registered"));
    }

    @AfterEach
    void deleteTheProbeQueue() {
        admin.deleteQueue(probe.getName());
    }

    @Test
    void aCommittedEventIsPublishedWithItsIdAndMarkedSent() {
        EventEnvelope<UserRegistered> event = transaction.execute(
                status -> outbox.append(Events.USER_REGISTERED, new UserRegistered(7, "Seven", Instant.now())));

        Message message = await().alias("the event published")
                .atMost(PATIENCE)
                .until(() -> receive(event.id().toString()), Objects::nonNull);

        assertThat(message.getMessageProperties().getMessageId())
                .isEqualTo(event.id().toString());
        assertThat(message.getMessageProperties().getReceivedRoutingKey()).isEqualTo("user.registered");
        String body = new String(message.getBody(), StandardCharsets.UTF_8);
        ContractValidator.assertValid(body);
        await().alias("the event marked sent").atMost(PATIENCE).until(() -> sentAt(event), Objects::nonNull);
    }

    @Test
    void aRolledBackEventIsNeverWrittenNorPublished() {
        EventEnvelope<UserRegistered> event = transaction.execute(status -> {
            EventEnvelope<UserRegistered> appended =
                    outbox.append(Events.USER_REGISTERED, new UserRegistered(8, "Eight", Instant.now()));
            status.setRollbackOnly();
            return appended;
        });

        // Were it published, it would arrive meanwhile (a check that can only miss on a slow machine).
        await().during(Duration.ofSeconds(1))
                .atMost(PATIENCE)
                .until(() -> receive(event.id().toString()) == null);
        assertThat(jdbc.sql("select count(*) from outbox where event_id = ?")
                        .param(event.id())
                        .query(Long.class)
                        .single())
                .isZero();
    }

    /** The probe's message with this id, if it is there now, skipping any other test's late events. */
    private @Nullable Message receive(String messageId) {
        Message message;
        while ((message = rabbit.receive(probe.getName())) != null) {
            if (messageId.equals(message.getMessageProperties().getMessageId())) {
                return message;
            }
        }
        return null;
    }

    private @Nullable Instant sentAt(EventEnvelope<?> event) {
        return jdbc.sql("select sent_at from outbox where event_id = ?")
                .param(event.id())
                .query(Instant.class)
                .optional()
                .orElse(null);
    }
}
