package dev.tandem.hotpath.messaging;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlClient;

/**
 * A worker of an internal task queue on {@code tandem.tasks} (docs/tasks.md): declare one as a bean
 * and {@link Consumers} gives it {@code <queue>} (bound by its task type), {@code <queue>.retry}
 * and {@code <queue>.dlq}. A task carries {@code message_id}, {@code reply_to} and {@code
 * correlation_id}; it runs once (inbox), and its reply, kept with it, goes to {@code reply_to}
 * with the same correlation id, again on every redelivery.
 */
public interface TaskWorker {

    /** The durable queue, e.g. {@code hot-path.tasks.content-import}; also the inbox's consumer name. */
    String queue();

    /** The task type: the routing key on {@code tandem.tasks}, e.g. {@code content.import}. */
    String taskType();

    /**
     * Runs one task in {@code transaction} and returns the reply (a JSON object). Bad input is
     * answered in the reply, not thrown; a failure rolls back and schedules a retry.
     */
    Uni<String> run(SqlClient transaction, String taskId, byte[] body);

    /** The reply when the task could not be run at all (dead-lettered), naming the reason. */
    String failedReply(String taskId, String reason);
}
