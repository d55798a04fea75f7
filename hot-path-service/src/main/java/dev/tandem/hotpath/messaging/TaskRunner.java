package dev.tandem.hotpath.messaging;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Delivery;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.TimeoutException;
import java.util.function.IntFunction;
import org.jboss.logging.Logger;

/**
 * How {@link Consumers} runs one task of an internal task queue: once (inbox), its reply kept and
 * sent to {@code reply_to}, retried with back-off and dead-lettered like events; a streaming task
 * computed outside any transaction with its partial replies sent as it goes.
 */
final class TaskRunner {

    /** Counts a delivery's outcome in {@code tandem.messages.consumed}. */
    @FunctionalInterface
    interface Counter {
        void count(String queue, String type, String outcome);
    }

    private static final Logger log = Logger.getLogger(TaskRunner.class);

    private final Pool pool;
    private final TaskReplies replies;
    private final Redelivery redelivery;
    private final Clock clock;
    private final int maxAttempts;
    private final IntFunction<Duration> retryDelay;
    private final Counter counted;

    TaskRunner(
            Pool pool,
            TaskReplies replies,
            Redelivery redelivery,
            Clock clock,
            int maxAttempts,
            IntFunction<Duration> retryDelay,
            Counter counted) {
        this.pool = pool;
        this.replies = replies;
        this.redelivery = redelivery;
        this.clock = clock;
        this.maxAttempts = maxAttempts;
        this.retryDelay = retryDelay;
        this.counted = counted;
    }

    /**
     * One task: run once (inbox), its reply kept with it and sent to {@code reply_to} after the
     * commit, and sent again when the task is delivered again. A task without an id or a reply
     * address is dead-lettered at once; a failing one is retried, then dead-lettered with a reply
     * that says so.
     */
    void handle(TaskWorker worker, Channel channel, Delivery delivery) {
        long tag = delivery.getEnvelope().getDeliveryTag();
        int attempts = (int) Redelivery.longHeader(delivery, Redelivery.ATTEMPTS);
        AMQP.BasicProperties properties = delivery.getProperties();
        String taskId = properties.getMessageId();
        try {
            if (taskId == null || taskId.isBlank() || taskId.length() > 200 || properties.getReplyTo() == null) {
                String reason = "a task needs a message_id (at most 200 characters) and a reply_to";
                redelivery.republish(
                        worker.queue() + ".dlq", delivery, Redelivery.failure(clock, delivery, attempts, reason, null));
                counted.count(worker.queue(), worker.taskType(), "dead_lettered");
                log.errorf("%s: a task dead-lettered: %s", worker.queue(), reason);
                channel.basicAck(tag, false);
                return;
            }
            try {
                String reply = switch (worker) {
                    case TaskWorker.Streaming streaming -> computed(streaming, taskId, delivery);
                    case TaskWorker.Transactional transactional -> ran(transactional, taskId, delivery);
                };
                redelivery.reply(delivery, reply);
                counted.count(worker.queue(), worker.taskType(), "applied");
            } catch (RuntimeException failure) {
                int failed = attempts + 1;
                String error = Redelivery.error(failure);
                if (failed >= maxAttempts) {
                    redelivery.republish(
                            worker.queue() + ".dlq",
                            delivery,
                            Redelivery.failure(clock, delivery, failed, error, null));
                    counted.count(worker.queue(), worker.taskType(), "dead_lettered");
                    log.errorf(
                            "%s: task %s dead-lettered after %d attempts: %s", worker.queue(), taskId, failed, error);
                    redelivery.reply(
                            delivery, worker.failedReply(taskId, "the task failed " + failed + " times: " + error));
                } else {
                    Duration delay = retryDelay.apply(failed);
                    long now = clock.millis();
                    redelivery.republish(
                            worker.queue() + ".retry",
                            delivery,
                            Redelivery.failure(clock, delivery, failed, error, now + delay.toMillis()));
                    counted.count(worker.queue(), worker.taskType(), "retried");
                    log.warnf(
                            "%s: task %s failed (attempt %d of %d), retrying in %s: %s",
                            worker.queue(), taskId, failed, maxAttempts, delay, error);
                }
            }
            channel.basicAck(tag, false);
        } catch (InterruptedException e) {
            Redelivery.requeue(channel, tag);
            Thread.currentThread().interrupt();
        } catch (IOException | TimeoutException | RuntimeException e) {
            log.warnf("%s: could not settle task %s, requeued: %s", worker.queue(), taskId, e);
            Redelivery.requeue(channel, tag);
        }
    }

    /** A transactional task: run with its inbox row and kept reply in one transaction, or its kept reply. */
    private String ran(TaskWorker.Transactional worker, String taskId, Delivery delivery) {
        return pool.withTransaction(tx -> tx.preparedQuery(Consumers.INBOX)
                        .execute(Tuple.of(worker.queue(), taskId, worker.taskType()))
                        .flatMap(rows -> rows.rowCount() == 0
                                ? replies.kept(tx, worker, taskId)
                                : worker.run(tx, taskId, delivery.getBody())
                                        .call(made -> replies.keep(tx, worker, taskId, made))))
                .await()
                .atMost(Consumers.APPLY_TIMEOUT);
    }

    /**
     * A streaming task: its kept reply when it ran before; otherwise computed here, outside any
     * transaction, its partial replies sent as it goes, and then recorded (inbox row and reply) in
     * one short transaction.
     */
    private String computed(TaskWorker.Streaming worker, String taskId, Delivery delivery) throws InterruptedException {
        String kept = pool.withTransaction(
                        tx -> tx.preparedQuery("select 1 from inbox where consumer = $1 and message_id = $2")
                                .execute(Tuple.of(worker.queue(), taskId))
                                .flatMap(rows -> rows.size() == 0
                                        ? Uni.createFrom().<String>nullItem()
                                        : replies.kept(tx, worker, taskId)))
                .await()
                .atMost(Consumers.APPLY_TIMEOUT);
        if (kept != null) {
            return kept;
        }
        long deadline = System.nanoTime() + worker.timeout().toNanos();
        String reply = worker.compute(taskId, delivery.getBody(), partial -> {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the task ran longer than " + worker.timeout());
            }
            try {
                redelivery.reply(delivery, partial);
            } catch (IOException | TimeoutException e) {
                throw new IllegalStateException("a partial reply was not confirmed: " + e.getMessage(), e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while replying", e);
            }
        });
        return pool.withTransaction(tx -> tx.preparedQuery(Consumers.INBOX)
                        .execute(Tuple.of(worker.queue(), taskId, worker.taskType()))
                        .flatMap(rows -> rows.rowCount() == 0
                                ? replies.kept(tx, worker, taskId) // another delivery finished first
                                : replies.keep(tx, worker, taskId, reply).replaceWith(reply)))
                .await()
                .atMost(Consumers.APPLY_TIMEOUT);
    }
}
