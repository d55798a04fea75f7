package dev.tandem.hotpath.messaging;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.rabbitmq.client.AMQP;
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
import io.quarkus.scheduler.Scheduled;
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
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
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

    static final String ATTEMPTS = "x-tandem-attempts";
    static final String ERROR = "x-tandem-error";
    static final String FAILED_AT = "x-tandem-failed-at";
    static final String RETRY_AT = "x-tandem-retry-at";
    static final String ROUTING_KEY = "x-tandem-routing-key";

    private static final Logger log = Logger.getLogger(Consumers.class);
    private static final int PREFETCH = 16;
    static final int QUORUM_DELIVERY_LIMIT = 1_000_000;
    private static final int RETRY_PREFETCH = 500;
    private static final int MAX_ERROR_LENGTH = 1000;
    private static final Duration APPLY_TIMEOUT = Duration.ofSeconds(60);
    private static final String INBOX = "insert into inbox (consumer, message_id, event_type) values ($1, $2, $3)"
            + " on conflict (consumer, message_id) do nothing";

    /** The exchange of internal tasks (direct, durable), routed by task type. */
    public static final String TASKS_EXCHANGE = "tandem.tasks";

    private final List<EventConsumer> consumers;
    private final List<TaskWorker> workers;
    private final Pool pool;
    private final ObjectMapper json;
    private final MeterRegistry meters;
    private final Clock clock;
    private final URI amqpUri;
    private final boolean quorum;
    private final int maxAttempts;
    private final Duration firstRetryDelay;
    private final Duration maxRetryDelay;
    private final Duration confirmTimeout;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().daemon().name("retry-mover-timer").factory());
    // A lock, not a monitor: virtual threads wait on it without pinning their carrier (JDK 21).
    private final java.util.concurrent.locks.ReentrantLock publishing = new java.util.concurrent.locks.ReentrantLock();
    private volatile boolean returned;
    private volatile boolean stopping;
    private volatile Connection connection;
    private Channel publisher;

    Consumers(
            @Any Instance<EventConsumer> consumers,
            @Any Instance<TaskWorker> workers,
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
        this.pool = pool;
        // Strict about the data's shape: a missing field is a broken contract, not a zero.
        this.json = json.copy()
                .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
                .enable(DeserializationFeature.FAIL_ON_MISSING_CREATOR_PROPERTIES);
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
        this.confirmTimeout = confirmTimeout;
    }

    void start(@Observes StartupEvent event) {
        if (!consumers.isEmpty() || !workers.isEmpty()) {
            Thread.ofVirtual().name("consumers-connect").start(this::connectUntilConnected);
        }
    }

    void stop(@Observes ShutdownEvent event) {
        stopping = true;
        timer.shutdownNow();
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
            confirmed.confirmSelect();
            // A mandatory publish no queue took comes back before its ack: that is a failure.
            confirmed.addReturnListener(unroutable -> returned = true);
            watch(opened, confirmed, replaced);
            publishing.lock();
            try {
                publisher = confirmed;
            } finally {
                publishing.unlock();
            }
            for (EventConsumer consumer : consumers) {
                Channel channel = opened.createChannel();
                watch(opened, channel, replaced);
                declare(
                        channel,
                        consumer.queue(),
                        Events.EXCHANGE,
                        "topic",
                        consumer.types().stream().map(EventType::routingKey).toList());
                channel.basicQos(PREFETCH);
                channel.basicConsume(
                        consumer.queue(),
                        false,
                        (tag, delivery) -> Thread.ofVirtual()
                                .name("consumer-" + consumer.queue())
                                .start(() -> handle(consumer, channel, delivery)),
                        tag -> {});
                consumeRetries(opened, consumer.queue(), replaced);
            }
            for (TaskWorker worker : workers) {
                Channel channel = opened.createChannel();
                watch(opened, channel, replaced);
                declare(channel, worker.queue(), TASKS_EXCHANGE, "direct", List.of(worker.taskType()));
                channel.basicQos(PREFETCH);
                channel.basicConsume(
                        worker.queue(),
                        false,
                        (tag, delivery) -> Thread.ofVirtual()
                                .name("worker-" + worker.queue())
                                .start(() -> handle(worker, channel, delivery)),
                        tag -> {});
                consumeRetries(opened, worker.queue(), replaced);
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

    private void consumeRetries(Connection opened, String queue, java.util.concurrent.atomic.AtomicBoolean replaced)
            throws IOException {
        Channel retries = opened.createChannel();
        watch(opened, retries, replaced);
        retries.basicQos(RETRY_PREFETCH);
        retries.basicConsume(
                queue + ".retry", false, (tag, delivery) -> holdUntilDue(queue, retries, delivery), tag -> {});
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
        int attempts = (int) longHeader(delivery, ATTEMPTS);
        try {
            EventEnvelope<?> event;
            try {
                event = read(consumer, delivery.getBody());
            } catch (NoContract e) {
                republish(consumer.queue() + ".dlq", delivery, failure(delivery, attempts, e.getMessage(), null));
                counted(consumer, e.type, "dead_lettered");
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
                String error = describe(failure);
                if (failed >= maxAttempts) {
                    republish(consumer.queue() + ".dlq", delivery, failure(delivery, failed, error, null));
                    counted(consumer, event.type(), "dead_lettered");
                    log.errorf(
                            "%s: %s %s dead-lettered after %d attempts: %s",
                            consumer.queue(), event.type(), event.id(), failed, error);
                } else {
                    Duration delay = retryDelay(failed);
                    long now = clock.millis();
                    republish(
                            consumer.queue() + ".retry",
                            delivery,
                            failure(delivery, failed, error, now + delay.toMillis()));
                    counted(consumer, event.type(), "retried");
                    log.warnf(
                            "%s: %s %s failed (attempt %d of %d), retrying in %s: %s",
                            consumer.queue(), event.type(), event.id(), failed, maxAttempts, delay, error);
                }
            }
            channel.basicAck(tag, false);
        } catch (InterruptedException e) {
            requeue(channel, tag);
            Thread.currentThread().interrupt();
        } catch (IOException | TimeoutException | RuntimeException e) {
            // Not even the republish worked (broker trouble): give the message back.
            log.warnf("%s: could not settle message %s, requeued: %s", consumer.queue(), messageId(delivery), e);
            requeue(channel, tag);
        }
    }

    private static final Duration REPLIES_KEPT = Duration.ofDays(7);
    private static final String REPLY_OF =
            "select reply::text as reply from task_replies where worker = $1 and task_id = $2";
    private static final String KEEP_REPLY =
            "insert into task_replies (worker, task_id, reply) values ($1, $2, $3::text::jsonb)";

    /**
     * One task: run once (inbox), its reply kept with it and sent to {@code reply_to} after the
     * commit, and sent again when the task is delivered again. A task without an id or a reply
     * address is dead-lettered at once; a failing one is retried, then dead-lettered with a reply
     * that says so.
     */
    private void handle(TaskWorker worker, Channel channel, Delivery delivery) {
        long tag = delivery.getEnvelope().getDeliveryTag();
        int attempts = (int) longHeader(delivery, ATTEMPTS);
        AMQP.BasicProperties properties = delivery.getProperties();
        String taskId = properties.getMessageId();
        try {
            if (taskId == null || taskId.isBlank() || taskId.length() > 200 || properties.getReplyTo() == null) {
                String reason = "a task needs a message_id (at most 200 characters) and a reply_to";
                republish(worker.queue() + ".dlq", delivery, failure(delivery, attempts, reason, null));
                counted(worker.queue(), worker.taskType(), "dead_lettered");
                log.errorf("%s: a task dead-lettered: %s", worker.queue(), reason);
                channel.basicAck(tag, false);
                return;
            }
            try {
                String reply = pool.withTransaction(tx -> tx.preparedQuery(INBOX)
                                .execute(Tuple.of(worker.queue(), taskId, worker.taskType()))
                                .flatMap(rows -> rows.rowCount() == 0
                                        ? tx.preparedQuery(REPLY_OF)
                                                .execute(Tuple.of(worker.queue(), taskId))
                                                .map(found -> found.size() > 0
                                                        ? found.iterator()
                                                                .next()
                                                                .getString("reply")
                                                        : forgottenReply(taskId, worker.taskType()))
                                        : worker.run(tx, taskId, delivery.getBody())
                                                .call(made -> tx.preparedQuery(KEEP_REPLY)
                                                        .execute(Tuple.of(worker.queue(), taskId, made)))))
                        .await()
                        .atMost(APPLY_TIMEOUT);
                reply(delivery, reply);
                counted(worker.queue(), worker.taskType(), "applied");
            } catch (RuntimeException failure) {
                int failed = attempts + 1;
                String error = describe(failure);
                if (failed >= maxAttempts) {
                    republish(worker.queue() + ".dlq", delivery, failure(delivery, failed, error, null));
                    counted(worker.queue(), worker.taskType(), "dead_lettered");
                    log.errorf(
                            "%s: task %s dead-lettered after %d attempts: %s", worker.queue(), taskId, failed, error);
                    reply(delivery, worker.failedReply(taskId, "the task failed " + failed + " times: " + error));
                } else {
                    Duration delay = retryDelay(failed);
                    long now = clock.millis();
                    republish(
                            worker.queue() + ".retry",
                            delivery,
                            failure(delivery, failed, error, now + delay.toMillis()));
                    counted(worker.queue(), worker.taskType(), "retried");
                    log.warnf(
                            "%s: task %s failed (attempt %d of %d), retrying in %s: %s",
                            worker.queue(), taskId, failed, maxAttempts, delay, error);
                }
            }
            channel.basicAck(tag, false);
        } catch (InterruptedException e) {
            requeue(channel, tag);
            Thread.currentThread().interrupt();
        } catch (IOException | TimeoutException | RuntimeException e) {
            log.warnf("%s: could not settle task %s, requeued: %s", worker.queue(), taskId, e);
            requeue(channel, tag);
        }
    }

    /** The reply to a task run so long ago that its reply was no longer kept. */
    private String forgottenReply(String taskId, String type) {
        return json.createObjectNode()
                .put("taskId", taskId)
                .put("type", type)
                .put("status", "duplicate")
                .put("error", "this task ran before; its reply is kept " + REPLIES_KEPT.toDays() + " days")
                .toString();
    }

    /** Forgets replies older than a week, every hour. */
    @Scheduled(every = "1h", delayed = "5m", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> forgetOldReplies() {
        return pool.preparedQuery("delete from task_replies where created_at < now() - $1 * interval '1 second'")
                .execute(Tuple.of(REPLIES_KEPT.toSeconds()))
                .replaceWithVoid();
    }

    /** Sends a task's reply to its {@code reply_to} queue, with its correlation id, and waits for the confirm. */
    private void reply(Delivery task, String reply) throws IOException, TimeoutException, InterruptedException {
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
    private void holdUntilDue(String queue, Channel retries, Delivery delivery) {
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
                        if (!stopping) {
                            moveLater(queue, retries, delivery, 5_000);
                        }
                    }
                }),
                delay,
                TimeUnit.MILLISECONDS);
    }

    /** Publishes a copy of the delivery to {@code queue} with these headers, and waits for the confirm. */
    private void republish(String queue, Delivery delivery, Map<String, Object> headers)
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
            returned = false;
            publisher.basicPublish("", queue, true, properties, delivery.getBody());
            if (!publisher.waitForConfirms(confirmTimeout.toMillis())) {
                throw new IOException("the broker refused the message for " + queue);
            }
            if (returned) {
                throw new IOException("queue " + queue + " does not exist");
            }
        } finally {
            publishing.unlock();
        }
    }

    private Map<String, Object> failure(Delivery delivery, int attempts, String error, Long retryAt) {
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

    Duration retryDelay(int attempt) {
        long factor = 1L << (2 * Math.min(Math.max(attempt - 1, 0), 15));
        Duration delay = firstRetryDelay.multipliedBy(factor);
        return delay.compareTo(maxRetryDelay) > 0 ? maxRetryDelay : delay;
    }

    private EventEnvelope<?> read(EventConsumer consumer, byte[] body) {
        JsonNode node;
        try {
            node = json.readTree(body);
        } catch (IOException e) {
            throw new NoContract("unknown", "not JSON: " + e.getMessage());
        }
        String name = node.path("type").asText("unknown");
        int version = node.path("version").asInt(0);
        Optional<EventType<?>> type = Events.find(name, version).filter(consumer.types()::contains);
        if (type.isEmpty()) {
            String tag = Events.ALL.stream().anyMatch(known -> known.name().equals(name)) ? name : "unknown";
            throw new NoContract(tag, "no contract for " + name + " v" + version + " in " + consumer.queue());
        }
        JavaType envelope = json.getTypeFactory()
                .constructParametricType(EventEnvelope.class, type.get().dataType());
        try {
            return json.readValue(body, envelope);
        } catch (IOException | IllegalArgumentException | NullPointerException e) {
            throw new NoContract(name, "does not match the " + name + " v" + version + " contract: " + e.getMessage());
        }
    }

    private static void requeue(Channel channel, long tag) {
        try {
            if (channel.isOpen()) {
                channel.basicNack(tag, false, true);
            }
        } catch (IOException | RuntimeException ignored) {
            // the channel is gone: the broker gives the message back by itself
        }
    }

    private static Map<String, Object> headers(Delivery delivery) {
        Map<String, Object> headers = delivery.getProperties().getHeaders();
        return headers == null ? Map.of() : headers;
    }

    private static long longHeader(Delivery delivery, String name) {
        return headers(delivery).get(name) instanceof Number number ? number.longValue() : 0;
    }

    private static String messageId(Delivery delivery) {
        return String.valueOf(delivery.getProperties().getMessageId());
    }

    private static String describe(Throwable failure) {
        List<String> causes = new ArrayList<>();
        for (Throwable t = failure; t != null && causes.size() < 3; t = t.getCause() == t ? null : t.getCause()) {
            causes.add(t.getClass().getSimpleName() + ": " + t.getMessage());
        }
        String text = String.join(" (caused by ", causes) + ")".repeat(causes.size() - 1);
        return text.length() <= MAX_ERROR_LENGTH ? text : text.substring(0, MAX_ERROR_LENGTH - 1) + "…";
    }

    private void counted(EventConsumer consumer, String type, String outcome) {
        counted(consumer.queue(), type, outcome);
    }

    private void counted(String queue, String type, String outcome) {
        meters.counter("tandem.messages.consumed", "consumer", queue, "type", type, "outcome", outcome)
                .increment();
    }

    /** A message this consumer has no contract for: dead-lettered at once with the reason. */
    private static final class NoContract extends RuntimeException {
        private final String type;

        NoContract(String type, String reason) {
            super(reason, null, false, false);
            this.type = type;
        }
    }
}
