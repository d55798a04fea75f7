package dev.tandem.hotpath.messaging;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.Delivery;
import dev.tandem.schema.events.EventEnvelope;
import dev.tandem.schema.events.EventType;
import dev.tandem.schema.events.Events;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.Instance;
import java.io.IOException;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeoutException;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Runs hot-path-service's {@link EventConsumer}s, the same way core-app runs its own (see
 * docs/messaging.md, Consuming): per consumer the durable queues {@code <queue>} (bound to {@code
 * tandem.events} by each accepted type), {@code <queue>.retry} and {@code <queue>.dlq}, quorum
 * queues when {@code tandem.bus.queue-type=quorum}.
 *
 * <ul>
 *   <li>A message without a contract here goes to the dead letters at once, with the reason.
 *   <li>The inbox row and the consumer's effect commit together; the delivery is acknowledged
 *       after the commit, so a redelivered message has no second effect.
 *   <li>A failure republishes the message to {@code <queue>.retry} with {@code x-tandem-attempts},
 *       {@code x-tandem-error}, {@code x-tandem-failed-at} and {@code x-tandem-retry-at}; it is
 *       held there until due and put back into {@code <queue>}. After the last attempt it goes to
 *       {@code <queue>.dlq}. Every republish waits for the broker's confirm before the original
 *       is acknowledged; when it fails the original is requeued: a message is always in a queue.
 * </ul>
 *
 * It uses the plain RabbitMQ client (manual acks, publisher confirms; a lost connection is replaced and
 * everything declared and subscribed again) with one
 * virtual thread per delivery: the database work is reactive and awaited there, never on an event
 * loop. core-app's {@code /ops/dead-letters} lists, replays and discards these dead letters too.
 */
@ApplicationScoped
public class Consumers {

    private static final Logger log = Logger.getLogger(Consumers.class);
    private static final int PREFETCH = 16;
    static final int QUORUM_DELIVERY_LIMIT = 1_000_000;
    private static final int RETRY_PREFETCH = 500;
    static final Duration APPLY_TIMEOUT = Duration.ofSeconds(60);
    static final String INBOX = "insert into inbox (consumer, message_id, event_type) values ($1, $2, $3)"
            + " on conflict (consumer, message_id) do nothing";

    /** The exchange of internal tasks (direct, durable), routed by task type. */
    public static final String TASKS_EXCHANGE = "tandem.tasks";

    private final List<EventConsumer> consumers;
    private final List<TaskWorker> workers;
    private final TaskReplies replies;
    private final Pool pool;
    private final EventContracts contracts;
    private final MeterRegistry meters;
    private final Clock clock;
    private final URI amqpUri;
    private final boolean quorum;
    private final int maxAttempts;
    private final Duration firstRetryDelay;
    private final Duration maxRetryDelay;
    private volatile boolean stopping;
    private volatile Connection connection;
    private final Redelivery redelivery;
    private final TaskRunner tasks;

    Consumers(
            @Any Instance<EventConsumer> consumers,
            @Any Instance<TaskWorker> workers,
            TaskReplies replies,
            Pool pool,
            ObjectMapper json,
            MeterRegistry meters,
            Clock clock,
            @ConfigProperty(name = "tandem.amqp-uri") URI amqpUri,
            @ConfigProperty(name = "tandem.bus.queue-type") String queueType,
            @ConfigProperty(name = "tandem.bus.max-attempts") int maxAttempts,
            @ConfigProperty(name = "tandem.bus.first-retry-delay") Duration firstRetryDelay,
            @ConfigProperty(name = "tandem.bus.max-retry-delay") Duration maxRetryDelay,
            @ConfigProperty(name = "tandem.bus.confirm-timeout") Duration confirmTimeout) {
        this.consumers = consumers.stream().toList();
        this.workers = workers.stream().toList();
        this.replies = replies;
        this.pool = pool;
        this.contracts = new EventContracts(json);
        this.meters = meters;
        this.clock = clock;
        this.amqpUri = amqpUri;
        if (!queueType.equals("classic") && !queueType.equals("quorum")) {
            throw new IllegalArgumentException("tandem.bus.queue-type must be classic or quorum, not " + queueType);
        }
        this.quorum = queueType.equals("quorum");
        this.maxAttempts = maxAttempts;
        this.firstRetryDelay = firstRetryDelay;
        this.maxRetryDelay = maxRetryDelay;
        this.redelivery = new Redelivery(clock, confirmTimeout, () -> stopping);
        this.tasks = new TaskRunner(pool, replies, redelivery, clock, maxAttempts, this::retryDelay, this::counted);
    }

    void start(@Observes StartupEvent event) {
        if (!consumers.isEmpty() || !workers.isEmpty()) {
            Thread.ofVirtual().name("consumers-connect").start(this::connectUntilConnected);
        }
    }

    void stop(@Observes ShutdownEvent event) {
        stopping = true;
        redelivery.shutdown();
        Connection open = connection;
        if (open != null && open.isOpen()) {
            try {
                open.close(5_000);
            } catch (IOException | RuntimeException e) {
                log.debugf("consumers: while closing the connection: %s", e.getMessage());
            }
        }
    }

    /** Whether the consumers are connected (the broker's health check covers the rest). */
    public boolean connected() {
        Connection open = connection;
        return consumers.isEmpty() && workers.isEmpty() || open != null && open.isOpen();
    }

    /** Connects at start, and keeps trying every 2 s while the broker cannot be reached. */
    private void connectUntilConnected() {
        int failures = 0;
        while (!stopping) {
            try {
                connect();
                if (failures > 0) {
                    log.infof("consumers: connected after %d failed attempts", failures);
                }
                return;
            } catch (Exception e) {
                if (failures++ == 0) {
                    log.warnf("consumers: cannot reach the broker yet, retrying every 2 s: %s", e.getMessage());
                }
                try {
                    Thread.sleep(2_000);
                } catch (InterruptedException interrupted) {
                    return;
                }
            }
        }
    }

    private void connect() throws Exception {
        ConnectionFactory factory = new ConnectionFactory();
        if ("amqps".equalsIgnoreCase(amqpUri.getScheme())) {
            // Verify the broker's certificate and name (setUri alone would trust any certificate).
            factory.useSslProtocol(javax.net.ssl.SSLContext.getDefault());
            factory.enableHostnameVerification();
        }
        factory.setUri(amqpUri);
        // No automatic recovery: a lost connection is replaced by a new one, declared and
        // subscribed from scratch, as at start (deliveries in flight come back from the broker).
        factory.setAutomaticRecoveryEnabled(false);
        factory.setRequestedHeartbeat(30);
        factory.setConnectionTimeout(5_000);
        Connection opened = factory.newConnection("hot-path-service consumers");
        java.util.concurrent.atomic.AtomicBoolean replaced = new java.util.concurrent.atomic.AtomicBoolean();
        try {
            Channel confirmed = opened.createChannel();
            watch(opened, confirmed, replaced);
            redelivery.use(confirmed);
            for (EventConsumer consumer : consumers) {
                List<String> keys =
                        consumer.types().stream().map(EventType::routingKey).toList();
                subscribe(
                        opened,
                        replaced,
                        consumer.queue(),
                        Events.EXCHANGE,
                        "topic",
                        keys,
                        (channel, delivery) -> handle(consumer, channel, delivery));
            }
            for (TaskWorker worker : workers) {
                subscribe(
                        opened,
                        replaced,
                        worker.queue(),
                        TASKS_EXCHANGE,
                        "direct",
                        List.of(worker.taskType()),
                        (channel, delivery) -> tasks.handle(worker, channel, delivery));
            }
        } catch (Exception e) {
            opened.abort();
            throw e;
        }
        connection = opened;
        if (stopping) {
            opened.abort(); // stop() ran while this connection was being set up
            return;
        }
        opened.addShutdownListener(cause -> {
            if (!stopping && !cause.isInitiatedByApplication() && replaced.compareAndSet(false, true)) {
                log.warnf("consumers: lost the broker connection (%s), reconnecting", cause.getMessage());
                Thread.ofVirtual().name("consumers-reconnect").start(this::connectUntilConnected);
            }
        });
    }

    /**
     * A channel the broker closes (the connection staying up) would leave its queue unconsumed or
     * the republishing stuck: the whole connection is then replaced, as after a connection loss.
     */
    private void watch(Connection opened, Channel channel, java.util.concurrent.atomic.AtomicBoolean replaced) {
        channel.addShutdownListener(cause -> {
            if (!stopping
                    && !cause.isInitiatedByApplication()
                    && !cause.isHardError()
                    && replaced.compareAndSet(false, true)) {
                log.warnf("consumers: the broker closed a channel (%s), reconnecting", cause.getMessage());
                // Not on the client's own thread, which this listener runs on.
                Thread.ofVirtual().name("consumers-reconnect").start(() -> {
                    opened.abort();
                    connectUntilConnected();
                });
            }
        });
    }

    /**
     * Declares {@code queue} (with its retry and dead-letter queues), consumes it with one virtual
     * thread per delivery, and hands its retry queue to {@link Redelivery#holdUntilDue}.
     */
    private void subscribe(
            Connection opened,
            java.util.concurrent.atomic.AtomicBoolean replaced,
            String queue,
            String exchange,
            String exchangeType,
            List<String> keys,
            java.util.function.BiConsumer<Channel, Delivery> handler)
            throws IOException {
        Channel channel = opened.createChannel();
        watch(opened, channel, replaced);
        declare(channel, queue, exchange, exchangeType, keys);
        channel.basicQos(PREFETCH);
        channel.basicConsume(
                queue,
                false,
                (tag, delivery) ->
                        Thread.ofVirtual().name("consumer-" + queue).start(() -> handler.accept(channel, delivery)),
                tag -> {});
        Channel retries = opened.createChannel();
        watch(opened, retries, replaced);
        retries.basicQos(RETRY_PREFETCH);
        retries.basicConsume(
                queue + ".retry",
                false,
                (tag, delivery) -> redelivery.holdUntilDue(queue, retries, delivery),
                tag -> {});
    }

    private void declare(Channel channel, String queue, String exchange, String exchangeType, List<String> keys)
            throws IOException {
        // Quorum queues drop a message returned too often (RabbitMQ 4: 20 times); reading dead
        // letters returns them on purpose, so the limit is set out of reach.
        Map<String, Object> arguments =
                quorum ? Map.of("x-queue-type", "quorum", "x-delivery-limit", QUORUM_DELIVERY_LIMIT) : null;
        channel.exchangeDeclare(exchange, exchangeType, true);
        for (String name : List.of(queue, queue + ".retry", queue + ".dlq")) {
            channel.queueDeclare(name, true, false, false, arguments);
        }
        for (String key : keys) {
            channel.queueBind(queue, exchange, key);
        }
    }

    private record Outcome(boolean applied, Runnable afterCommit) {}

    private void handle(EventConsumer consumer, Channel channel, Delivery delivery) {
        long tag = delivery.getEnvelope().getDeliveryTag();
        int attempts = (int) Redelivery.longHeader(delivery, Redelivery.ATTEMPTS);
        try {
            EventEnvelope<?> event;
            try {
                event = contracts.read(consumer, delivery.getBody());
            } catch (EventContracts.NoContract e) {
                redelivery.republish(
                        consumer.queue() + ".dlq",
                        delivery,
                        Redelivery.failure(clock, delivery, attempts, e.getMessage(), null));
                counted(consumer, e.type(), "dead_lettered");
                log.errorf("%s: message %s dead-lettered: %s", consumer.queue(), messageId(delivery), e.getMessage());
                channel.basicAck(tag, false);
                return;
            }
            try {
                Outcome outcome = pool.withTransaction(tx -> tx.preparedQuery(INBOX)
                                .execute(Tuple.of(consumer.queue(), event.id().toString(), event.type()))
                                .flatMap(rows -> rows.rowCount() == 0
                                        ? Uni.createFrom().item(new Outcome(false, null))
                                        : consumer.apply(tx, event).map(after -> new Outcome(true, after))))
                        .await()
                        .atMost(APPLY_TIMEOUT);
                counted(consumer, event.type(), outcome.applied() ? "applied" : "duplicate");
                if (outcome.afterCommit() != null) {
                    try {
                        outcome.afterCommit().run();
                    } catch (RuntimeException e) {
                        log.warnf(e, "%s: the work after the commit of %s failed", consumer.queue(), event.id());
                    }
                }
            } catch (RuntimeException failure) {
                int failed = attempts + 1;
                String error = Redelivery.error(failure);
                if (failed >= maxAttempts) {
                    redelivery.republish(
                            consumer.queue() + ".dlq",
                            delivery,
                            Redelivery.failure(clock, delivery, failed, error, null));
                    counted(consumer, event.type(), "dead_lettered");
                    log.errorf(
                            "%s: %s %s dead-lettered after %d attempts: %s",
                            consumer.queue(), event.type(), event.id(), failed, error);
                } else {
                    Duration delay = retryDelay(failed);
                    long now = clock.millis();
                    redelivery.republish(
                            consumer.queue() + ".retry",
                            delivery,
                            Redelivery.failure(clock, delivery, failed, error, now + delay.toMillis()));
                    counted(consumer, event.type(), "retried");
                    log.warnf(
                            "%s: %s %s failed (attempt %d of %d), retrying in %s: %s",
                            consumer.queue(), event.type(), event.id(), failed, maxAttempts, delay, error);
                }
            }
            channel.basicAck(tag, false);
        } catch (InterruptedException e) {
            Redelivery.requeue(channel, tag);
            Thread.currentThread().interrupt();
        } catch (IOException | TimeoutException | RuntimeException e) {
            // Not even the republish worked (broker trouble): give the message back.
            log.warnf("%s: could not settle message %s, requeued: %s", consumer.queue(), messageId(delivery), e);
            Redelivery.requeue(channel, tag);
        }
    }

    Duration retryDelay(int attempt) {
        long factor = 1L << (2 * Math.min(Math.max(attempt - 1, 0), 15));
        Duration delay = firstRetryDelay.multipliedBy(factor);
        return delay.compareTo(maxRetryDelay) > 0 ? maxRetryDelay : delay;
    }

    private static String messageId(Delivery delivery) {
        return String.valueOf(delivery.getProperties().getMessageId());
    }

    private void counted(EventConsumer consumer, String type, String outcome) {
        counted(consumer.queue(), type, outcome);
    }

    void counted(String queue, String type, String outcome) {
        meters.counter("tandem.messages.consumed", "consumer", queue, "type", type, "outcome", outcome)
                .increment();
    }
}
