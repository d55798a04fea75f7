package dev.tandem.hotpath.messaging;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlClient;
import java.time.Duration;
import java.util.function.Consumer;

/**
 * A worker of an internal task queue on {@code tandem.tasks} (docs/tasks.md): declare one as a bean
 * and {@link Consumers} gives it {@code <queue>} (bound by its task type), {@code <queue>.retry}
 * and {@code <queue>.dlq}. A task carries {@code message_id}, {@code reply_to} and {@code
 * correlation_id}; it runs once (inbox), and its reply, kept with it, goes to {@code reply_to}
 * with the same correlation id, again on every redelivery.
 */
public sealed interface TaskWorker permits TaskWorker.Transactional, TaskWorker.Streaming {

    /** The durable queue, e.g. {@code hot-path.tasks.content-import}; also the inbox's consumer name. */
    String queue();

    /** The task type: the routing key on {@code tandem.tasks}, e.g. {@code content.import}. */
    String taskType();

    /** The reply when the task could not be run at all (dead-lettered), naming the reason. */
    String failedReply(String taskId, String reason);

    /** The start of every reply of this worker: {@code taskId}, {@code type} and {@code status}. */
    default ObjectNode reply(ObjectMapper json, String taskId, String status) {
        return json.createObjectNode()
                .put("taskId", taskId)
                .put("type", taskType())
                .put("status", status);
    }

    /** A reply as it is sent. */
    static String written(ObjectMapper json, ObjectNode reply) {
        try {
            return json.writeValueAsString(reply);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a reply is plain JSON", e);
        }
    }

    /** A worker whose task changes the database: it runs in the transaction that records it in the inbox. */
    non-sealed interface Transactional extends TaskWorker {

        /**
         * Runs one task in {@code transaction} and returns the reply (a JSON object). Bad input is
         * answered in the reply, not thrown; a failure rolls back and schedules a retry.
         */
        Uni<String> run(SqlClient transaction, String taskId, byte[] body);
    }

    /**
     * A worker whose task only computes (no database effect) and may take minutes, such as a
     * batch of inference: it runs on its own virtual thread outside any transaction, sends
     * partial replies as it goes (each confirmed by the broker before it continues), and returns
     * the final reply, which is then kept with the task's inbox row. A task delivered again
     * before that row exists runs again (partial replies may come twice: they carry positions);
     * after it, only the final reply is sent again.
     */
    non-sealed interface Streaming extends TaskWorker {

        /** Runs the task: partial replies through {@code partial}, the final reply returned. */
        String compute(String taskId, byte[] body, Consumer<String> partial) throws InterruptedException;

        /** How long one run may take before it counts as failed. */
        default Duration timeout() {
            return Duration.ofMinutes(10);
        }
    }
}
