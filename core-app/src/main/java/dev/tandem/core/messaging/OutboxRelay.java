package dev.tandem.core.messaging;

import dev.tandem.schema.events.Events;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageDeliveryMode;
import org.springframework.amqp.core.MessageProperties;
import org.springframework.amqp.rabbit.connection.CorrelationData;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.context.SmartLifecycle;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Publishes core-app's outbox rows in commit order. Each batch runs in one transaction that locks
 * its rows ({@code FOR UPDATE SKIP LOCKED}, so several instances share the work without
 * overlapping), publishes them all, then waits once for all the broker's confirms, and marks sent
 * only the rows the broker confirmed. A crash before the mark means the rows are published again:
 * delivery is at least once, and consumers deduplicate on the event id.
 */
@Component
class OutboxRelay implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(OutboxRelay.class);

    private final JdbcClient jdbc;
    private final RabbitTemplate rabbit;
    private final TransactionTemplate transaction;
    private final OutboxProperties properties;
    private final Semaphore work = new Semaphore(0);
    private volatile boolean running;
    private Thread thread;

    OutboxRelay(JdbcClient jdbc, RabbitTemplate rabbit, TransactionTemplate transaction, OutboxProperties properties) {
        this.jdbc = jdbc;
        this.rabbit = rabbit;
        this.transaction = transaction;
        this.properties = properties;
    }

    /** Asks the relay to look for work now rather than at its next poll. */
    void wakeUp() {
        work.release();
    }

    /** Publishes one batch; returns how many rows it took. */
    int relayBatch() {
        Integer relayed = transaction.execute(status -> {
            List<PendingEvent> batch = jdbc.sql("""
                            select seq, event_id, event_type, routing_key, payload::text as payload
                            from outbox
                            where producer = ? and sent_at is null
                            order by seq
                            limit ?
                            for update skip locked
                            """)
                    .params(Events.PRODUCER_CORE_APP, properties.batchSize())
                    .query(PendingEvent.class)
                    .list();
            if (batch.isEmpty()) {
                return 0;
            }
            List<CorrelationData> confirms = batch.stream().map(this::publish).toList();
            List<Long> sent = new ArrayList<>();
            for (int i = 0; i < batch.size(); i++) {
                String failure = awaitConfirm(confirms.get(i));
                if (failure == null) {
                    sent.add(batch.get(i).seq());
                } else {
                    jdbc.sql("update outbox set attempts = attempts + 1, last_error = ? where seq = ?")
                            .params(failure, batch.get(i).seq())
                            .update();
                }
            }
            if (!sent.isEmpty()) {
                jdbc.sql("update outbox set sent_at = now(), attempts = attempts + 1 where seq = any(?)")
                        .param(sent.toArray(Long[]::new))
                        .update();
            }
            return batch.size();
        });
        return relayed == null ? 0 : relayed;
    }

    private CorrelationData publish(PendingEvent event) {
        MessageProperties props = new MessageProperties();
        props.setMessageId(event.eventId().toString());
        props.setType(event.eventType());
        props.setAppId(Events.PRODUCER_CORE_APP);
        props.setContentType(MessageProperties.CONTENT_TYPE_JSON);
        props.setContentEncoding(StandardCharsets.UTF_8.name());
        props.setDeliveryMode(MessageDeliveryMode.PERSISTENT);
        CorrelationData correlation = new CorrelationData(event.eventId().toString());
        rabbit.send(
                Events.EXCHANGE,
                event.routingKey(),
                new Message(event.payload().getBytes(StandardCharsets.UTF_8), props),
                correlation);
        return correlation;
    }

    /** Null when the broker confirmed the message, otherwise why it did not. */
    private String awaitConfirm(CorrelationData correlation) {
        try {
            CorrelationData.Confirm confirm =
                    correlation.getFuture().get(properties.confirmTimeout().toMillis(), TimeUnit.MILLISECONDS);
            return confirm.ack() ? null : "nacked by the broker: " + confirm.reason();
        } catch (TimeoutException e) {
            return "no confirm within " + properties.confirmTimeout();
        } catch (ExecutionException e) {
            return "publish failed: " + e.getCause().getMessage();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted while waiting for the confirm";
        }
    }

    private void loop() {
        while (running) {
            try {
                if (relayBatch() < properties.batchSize()) {
                    work.tryAcquire(properties.pollInterval().toMillis(), TimeUnit.MILLISECONDS);
                    work.drainPermits();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                log.warn("outbox relay: {}; retrying in {}", e.getMessage(), properties.pollInterval());
                sleep();
            }
        }
    }

    private void sleep() {
        try {
            Thread.sleep(properties.pollInterval());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void start() {
        running = true;
        thread = Thread.ofVirtual().name("outbox-relay").start(this::loop);
    }

    @Override
    public void stop() {
        running = false;
        if (thread != null) {
            thread.interrupt();
            try {
                thread.join(properties.confirmTimeout().plusSeconds(1));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    record PendingEvent(long seq, UUID eventId, String eventType, String routingKey, String payload) {}
}
