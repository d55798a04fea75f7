package dev.tandem.hotpath.messaging;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Delivery;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;
import org.jboss.logging.Logger;

/**
 * How {@link Consumers} puts a delivery somewhere else and knows it arrived: republishing to a
 * retry or dead-letter queue, or into its queue again, and replying to a task, all on one confirm
 * channel and each waiting for the broker's confirm; and the retry path's back-off, holding a retry
 * until {@code x-tandem-retry-at}. The {@code x-tandem-*} headers carry a message's history.
 */
final class Redelivery {

    static final String ATTEMPTS = "x-tandem-attempts";
    static final String ERROR = "x-tandem-error";
    static final String FAILED_AT = "x-tandem-failed-at";
    static final String RETRY_AT = "x-tandem-retry-at";
    static final String ROUTING_KEY = "x-tandem-routing-key";

    private static final Logger log = Logger.getLogger(Redelivery.class);
    private static final int MAX_ERROR_LENGTH = 1000;

    private final Clock clock;
    private final Duration confirmTimeout;
    private final BooleanSupplier stopping;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().daemon().name("retry-mover-timer").factory());
    // A lock, not a monitor: virtual threads wait on it without pinning their carrier (JDK 21).
    private final java.util.concurrent.locks.ReentrantLock publishing = new java.util.concurrent.locks.ReentrantLock();
    // Publishes a queue gave back ("queue message-id"): a mandatory publish no queue took. Keyed, not
    // a flag, because a broker may send the return after its (n)ack, during the next publish.
    private final Set<String> returned = ConcurrentHashMap.newKeySet();
    private Channel publisher;

    Redelivery(Clock clock, Duration confirmTimeout, BooleanSupplier stopping) {
        this.clock = clock;
        this.confirmTimeout = confirmTimeout;
        this.stopping = stopping;
    }

    /** Publishes from now on through {@code confirmed}, a new channel of a new connection. */
    void use(Channel confirmed) throws IOException {
        confirmed.confirmSelect();
        // A mandatory publish no queue took comes back before its ack: that is a failure.
        confirmed.addReturnListener(unroutable -> {
            if (returned.size() > 1_000) {
                returned.clear(); // returns nobody waits for any more
            }
            returned.add(returnKey(unroutable.getRoutingKey(), unroutable.getProperties()));
        });
        publishing.lock();
        try {
            publisher = confirmed;
        } finally {
            publishing.unlock();
        }
    }

    void shutdown() {
        timer.shutdownNow();
    }

    /** Publishes a copy of the delivery to {@code queue} with these headers, and waits for the confirm. */
    void republish(String queue, Delivery delivery, Map<String, Object> headers)
            throws IOException, TimeoutException, InterruptedException {
        AMQP.BasicProperties properties = delivery.getProperties()
                .builder()
                .headers(headers)
                .deliveryMode(2)
                .build();
        publishing.lock();
        try {
            if (publisher == null || !publisher.isOpen()) {
                throw new IOException("no channel to the broker");
            }
            String key = returnKey(queue, properties);
            returned.remove(key);
            publisher.basicPublish("", queue, true, properties, delivery.getBody());
            if (!publisher.waitForConfirms(confirmTimeout.toMillis())) {
                throw new IOException("the broker refused the message for " + queue);
            }
            if (returned.remove(key)) {
                throw new IOException("queue " + queue + " does not exist");
            }
        } finally {
            publishing.unlock();
        }
    }

    /** Sends a task's reply to its {@code reply_to} queue, with its correlation id, and waits for the confirm. */
    void reply(Delivery task, String reply) throws IOException, TimeoutException, InterruptedException {
        AMQP.BasicProperties properties = new AMQP.BasicProperties.Builder()
                .correlationId(task.getProperties().getCorrelationId())
                .messageId(java.util.UUID.randomUUID().toString())
                .contentType("application/json")
                .deliveryMode(2)
                .build();
        publishing.lock();
        try {
            if (publisher == null || !publisher.isOpen()) {
                throw new IOException("no channel to the broker");
            }
            // Not mandatory: a sender whose reply queue is gone has gone away itself.
            publisher.basicPublish(
                    "",
                    task.getProperties().getReplyTo(),
                    properties,
                    reply.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            if (!publisher.waitForConfirms(confirmTimeout.toMillis())) {
                throw new IOException("the broker refused the reply");
            }
        } finally {
            publishing.unlock();
        }
    }

    /** Holds a retry until its time, then puts it back into its queue and acknowledges it. */
    void holdUntilDue(String queue, Channel retries, Delivery delivery) {
        long delay = Math.max(0, longHeader(delivery, RETRY_AT) - clock.millis());
        moveLater(queue, retries, delivery, delay);
    }

    /**
     * Moves the retry back after {@code delay} ms. When that fails it keeps the message and tries
     * again in 5 s (a requeue would come straight back: a tight loop); when its channel is gone the
     * broker has the message back already, and a stale move must not copy it a second time.
     */
    private void moveLater(String queue, Channel retries, Delivery delivery, long delay) {
        timer.schedule(
                () -> Thread.ofVirtual().name("retry-mover").start(() -> {
                    if (!retries.isOpen()) {
                        return;
                    }
                    try {
                        Map<String, Object> headers = new HashMap<>(headers(delivery));
                        headers.remove(RETRY_AT);
                        republish(queue, delivery, headers);
                        retries.basicAck(delivery.getEnvelope().getDeliveryTag(), false);
                    } catch (IOException | TimeoutException | InterruptedException | RuntimeException e) {
                        log.warnf("%s: could not move a retry back, trying again in 5 s: %s", queue, e.getMessage());
                        if (!stopping.getAsBoolean()) {
                            moveLater(queue, retries, delivery, 5_000);
                        }
                    }
                }),
                delay,
                TimeUnit.MILLISECONDS);
    }

    private static String returnKey(String queue, AMQP.BasicProperties properties) {
        return queue + " " + properties.getMessageId();
    }

    static Map<String, Object> failure(Clock clock, Delivery delivery, int attempts, String error, Long retryAt) {
        Map<String, Object> headers = new HashMap<>(headers(delivery));
        headers.put(ATTEMPTS, attempts);
        headers.put(ERROR, error);
        headers.put(FAILED_AT, clock.millis());
        if (retryAt == null) {
            headers.remove(RETRY_AT);
        } else {
            headers.put(RETRY_AT, retryAt);
        }
        headers.putIfAbsent(ROUTING_KEY, delivery.getEnvelope().getRoutingKey());
        return headers;
    }

    static void requeue(Channel channel, long tag) {
        try {
            if (channel.isOpen()) {
                channel.basicNack(tag, false, true);
            }
        } catch (IOException | RuntimeException ignored) {
            // the channel is gone: the broker gives the message back by itself
        }
    }

    static Map<String, Object> headers(Delivery delivery) {
        Map<String, Object> headers = delivery.getProperties().getHeaders();
        return headers == null ? Map.of() : headers;
    }

    static long longHeader(Delivery delivery, String name) {
        return headers(delivery).get(name) instanceof Number number ? number.longValue() : 0;
    }

    /** Why an attempt failed, for the x-tandem-error header: the exception and two causes, bounded. */
    static String error(Throwable failure) {
        List<String> causes = new ArrayList<>();
        for (Throwable t = failure; t != null && causes.size() < 3; t = t.getCause() == t ? null : t.getCause()) {
            causes.add(t.getClass().getSimpleName() + ": " + t.getMessage());
        }
        String text = String.join(" (caused by ", causes) + ")".repeat(causes.size() - 1);
        return text.length() <= MAX_ERROR_LENGTH ? text : text.substring(0, MAX_ERROR_LENGTH - 1) + "…";
    }
}
