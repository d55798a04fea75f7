package dev.tandem.hotpath.messaging;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;

/**
 * The replies of tasks already run ({@code task_replies}), kept a week so that a task delivered
 * again answers as it did the first time instead of running twice.
 */
@ApplicationScoped
class TaskReplies {

    private static final Duration KEPT = Duration.ofDays(7);

    private final Pool pool;
    private final ObjectMapper json;

    TaskReplies(Pool pool, ObjectMapper json) {
        this.pool = pool;
        this.json = json;
    }

    /** Keeps the reply of a task just run, in the transaction that ran it. */
    Uni<Void> keep(SqlClient tx, TaskWorker worker, String taskId, String reply) {
        return tx.preparedQuery("insert into task_replies (worker, task_id, reply) values ($1, $2, $3::text::jsonb)")
                .execute(Tuple.of(worker.queue(), taskId, reply))
                .replaceWithVoid();
    }

    /** The reply a task got when it ran, or one saying it ran too long ago for its reply to be kept. */
    Uni<String> kept(SqlClient tx, TaskWorker worker, String taskId) {
        return tx.preparedQuery("select reply::text as reply from task_replies where worker = $1 and task_id = $2")
                .execute(Tuple.of(worker.queue(), taskId))
                .map(found -> found.size() > 0
                        ? found.iterator().next().getString("reply")
                        : json.createObjectNode()
                                .put("taskId", taskId)
                                .put("type", worker.taskType())
                                .put("status", "duplicate")
                                .put("error", "this task ran before; its reply is kept " + KEPT.toDays() + " days")
                                .toString());
    }

    /** Forgets replies older than a week, every hour. */
    @Scheduled(every = "1h", delayed = "5m", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> forgetOld() {
        return pool.preparedQuery("delete from task_replies where created_at < now() - $1 * interval '1 second'")
                .execute(Tuple.of(KEPT.toSeconds()))
                .replaceWithVoid();
    }
}
