package dev.tandem.hotpath.inference;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tandem.hotpath.api.Idempotency;
import dev.tandem.hotpath.auth.Caller;
import dev.tandem.hotpath.limits.Usage;
import dev.tandem.schema.workspaces.WorkspaceAction;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;
import org.jspecify.annotations.Nullable;

/**
 * Background inference jobs ({@code POST /api/v1/inference/jobs}, docs/inference.md): the request
 * writes the job and answers 202; {@code inference_jobs} is the status resource and the queue at
 * once. Each instance runs {@code tandem.inference.jobs.workers} workers on virtual threads. A
 * worker claims the oldest waiting job ({@code FOR UPDATE SKIP LOCKED}, safe with N instances)
 * under a lease, computes it through {@link InferenceBatch} (the task queue's batches: the same
 * share of the model beside live traffic), records its progress per chunk and its results at the
 * end. A new job wakes this instance's workers at once; the others look every second. A job whose
 * worker died is claimed again when its lease runs out, and fails after {@value #MAX_ATTEMPTS}
 * attempts. Finished jobs are kept {@value #KEPT_DAYS} days.
 */
@ApplicationScoped
class InferenceJobs {

    static final int MAX_TEXTS = 1_000;
    static final int MAX_ATTEMPTS = 3;
    static final int KEPT_DAYS = 7;
    /** Longer than a batch may run (InferenceBatch's timeout), so a live worker never loses its job. */
    private static final Duration LEASE = Duration.ofMinutes(15);

    private static final Duration QUERY_WAIT = Duration.ofSeconds(30);
    private static final int CHUNK = 100;
    private static final String COLUMNS = "id, user_id, model, status, total, done, results::text as results, error,"
            + " created_at, started_at, finished_at";

    private static final Logger log = Logger.getLogger(InferenceJobs.class);

    /** A job a worker holds: its input, and which attempt this is. */
    record Claimed(UUID id, long userId, long workspaceId, String model, String texts, int attempt) {}

    private final Pool pool;
    private final InferenceBatch batch;
    private final Idempotency idempotency;
    private final Usage usage;
    private final ObjectMapper json;
    private final int workerCount;
    private final Semaphore wake = new Semaphore(0);
    private final List<Thread> workers = new ArrayList<>();
    private volatile boolean running;

    InferenceJobs(
            Pool pool,
            InferenceBatch batch,
            Idempotency idempotency,
            Usage usage,
            ObjectMapper json,
            @ConfigProperty(name = "tandem.inference.jobs.workers") int workerCount) {
        this.pool = pool;
        this.batch = batch;
        this.idempotency = idempotency;
        this.usage = usage;
        this.json = json;
        this.workerCount = workerCount;
    }

    void start(@Observes StartupEvent event) {
        running = true;
        for (int i = 0; i < workerCount; i++) {
            workers.add(Thread.ofVirtual().name("inference-jobs-" + i).start(this::work));
        }
    }

    void stop(@Observes ShutdownEvent event) {
        running = false;
        workers.forEach(Thread::interrupt);
    }

    /** Writes a job (or replays the answer its Idempotency-Key got), then wakes a worker: the 202's body. */
    Uni<Idempotency.Stored> submit(Caller caller, JobInput input, @Nullable String key, String path) {
        caller.require(WorkspaceAction.WRITE_CONTENT);
        UUID id = UUID.randomUUID();
        List<String> texts = List.copyOf(input.texts());
        return pool.<Idempotency.Stored>withTransaction(tx -> {
                    Supplier<Uni<Idempotency.Stored>> insert = () -> insert(tx, id, caller, input.model(), texts);
                    return key == null
                            ? insert.get()
                            : idempotency.once(
                                    tx, caller, key, Idempotency.fingerprint("POST", path, written(input)), insert);
                })
                .invoke(stored -> wake.release());
    }

    private Uni<Idempotency.Stored> insert(SqlClient tx, UUID id, Caller caller, String model, List<String> texts) {
        return tx.preparedQuery("insert into inference_jobs (id, user_id, workspace_id, model, total, texts)"
                        + " values ($1, $2, $3, $4, $5, $6::text::jsonb) returning " + COLUMNS)
                .execute(Tuple.tuple()
                        .addValue(id)
                        .addLong(caller.userId())
                        .addLong(caller.workspaceId())
                        .addString(model)
                        .addInteger(texts.size())
                        .addString(new String(written(texts), StandardCharsets.UTF_8)))
                .map(rows -> new Idempotency.Stored(
                        202,
                        new String(written(view(rows.iterator().next())), StandardCharsets.UTF_8),
                        "/api/v1/inference/jobs/" + id,
                        false));
    }

    /**
     * The caller's job in its workspace (a moderator of the workspace: anyone's there); empty when
     * the workspace has none with this id or it is someone else's.
     */
    Uni<Optional<JobView>> find(Caller caller, UUID id) {
        return pool.preparedQuery("select " + COLUMNS + " from inference_jobs where id = $1 and workspace_id = $2")
                .execute(Tuple.of(id, caller.workspaceId()))
                .map(rows -> {
                    if (rows.size() == 0) {
                        return Optional.empty();
                    }
                    Row row = rows.iterator().next();
                    return caller.mayModify(row.getLong("user_id")) ? Optional.of(view(row)) : Optional.empty();
                });
    }

    // --- the workers -------------------------------------------------------------------------

    private void work() {
        while (running) {
            try {
                Optional<Claimed> job = claim();
                if (job.isPresent()) {
                    run(job.get());
                } else {
                    wake.drainPermits();
                    wake.tryAcquire(1, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                if (!running) {
                    return;
                }
                log.warnf("inference jobs: %s; trying again in 1 s", e.toString());
                try {
                    Thread.sleep(1_000);
                } catch (InterruptedException stopped) {
                    return;
                }
            }
        }
    }

    /** The oldest waiting job (or one whose lease ran out), now held by this worker. */
    Optional<Claimed> claim() {
        RowSet<Row> rows = pool.preparedQuery("update inference_jobs set status = 'running', attempts = attempts + 1,"
                        + " started_at = coalesce(started_at, now()), lease_until = now() + $1 * interval '1 second'"
                        + " where id = (select id from inference_jobs where status = 'queued'"
                        + " or (status = 'running' and lease_until < now())"
                        + " order by created_at limit 1 for update skip locked)"
                        + " returning id, user_id, workspace_id, model, texts::text as texts, attempts")
                .execute(Tuple.of(LEASE.toSeconds()))
                .await()
                .atMost(QUERY_WAIT);
        if (rows.size() == 0) {
            return Optional.empty();
        }
        Row row = rows.iterator().next();
        return Optional.of(new Claimed(
                row.getUUID("id"),
                row.getLong("user_id"),
                row.getLong("workspace_id"),
                row.getString("model"),
                row.getString("texts"),
                row.getInteger("attempts")));
    }

    /** Computes a claimed job and records the outcome; on a failure, queues it again or fails it. */
    void run(Claimed job) throws InterruptedException {
        if (job.attempt() > MAX_ATTEMPTS) {
            fail(job.id(), "the job was interrupted " + MAX_ATTEMPTS + " times");
            return;
        }
        ObjectNode task = json.createObjectNode().put("model", job.model()).put("chunkSize", CHUNK);
        ArrayNode results = json.createArrayNode();
        long[] tokens = {0};
        try {
            task.set("texts", json.readTree(job.texts()));
            String outcome = batch.compute(job.id().toString(), json.writeValueAsBytes(task), chunk -> {
                JsonNode progress = read(chunk);
                for (JsonNode result : progress.path("results")) {
                    results.add(result);
                    tokens[0] += result.path("tokens").asLong();
                }
                execute(
                        "update inference_jobs set done = $2 where id = $1 and status = 'running'",
                        Tuple.of(job.id(), progress.path("done").asInt()));
            });
            JsonNode reply = read(outcome);
            if (!reply.path("status").asText().equals("done")) {
                fail(job.id(), reply.path("error").asText("the job could not run"));
                return;
            }
            execute(
                    "update inference_jobs set status = 'done', done = total, results = $2::text::jsonb, texts = null,"
                            + " lease_until = null, finished_at = now() where id = $1 and status = 'running'",
                    Tuple.of(job.id(), results.toString()));
            if (tokens[0] > 0) {
                usage.record(job.workspaceId(), job.userId(), InferenceResource.INFERENCE_TOKENS, tokens[0]);
            }
        } catch (InterruptedException stopped) {
            // Shutting down: give the job back for the next worker rather than waiting out its lease.
            execute(
                    "update inference_jobs set status = 'queued', attempts = attempts - 1, done = 0, lease_until = null"
                            + " where id = $1 and status = 'running'",
                    Tuple.of(job.id()));
            throw stopped;
        } catch (JsonProcessingException | RuntimeException e) {
            if (job.attempt() >= MAX_ATTEMPTS) {
                fail(job.id(), e.getMessage() == null ? e.toString() : e.getMessage());
            } else {
                log.warnf(
                        "inference job %s failed (attempt %d of %d), queued again: %s",
                        job.id(), job.attempt(), MAX_ATTEMPTS, e.toString());
                execute(
                        "update inference_jobs set status = 'queued', done = 0, lease_until = null"
                                + " where id = $1 and status = 'running'",
                        Tuple.of(job.id()));
            }
        }
    }

    private void fail(UUID id, String error) {
        log.errorf("inference job %s failed: %s", id, error);
        execute(
                "update inference_jobs set status = 'failed', error = $2, texts = null, lease_until = null,"
                        + " finished_at = now() where id = $1",
                Tuple.of(id, error));
    }

    /** Forgets finished jobs after a week, every hour. */
    @Scheduled(every = "1h", delayed = "5m", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> forgetOld() {
        return pool.preparedQuery("delete from inference_jobs where finished_at < now() - $1 * interval '1 day'")
                .execute(Tuple.of(KEPT_DAYS))
                .replaceWithVoid();
    }

    // --- helpers -----------------------------------------------------------------------------

    private void execute(String sql, Tuple arguments) {
        pool.preparedQuery(sql).execute(arguments).await().atMost(QUERY_WAIT);
    }

    private JobView view(Row row) {
        String results = row.getString("results");
        return new JobView(
                row.getUUID("id"),
                row.getString("model"),
                row.getString("status"),
                row.getInteger("total"),
                row.getInteger("done"),
                results == null ? null : read(results),
                row.getString("error"),
                row.getOffsetDateTime("created_at").toInstant(),
                instant(row.getOffsetDateTime("started_at")),
                instant(row.getOffsetDateTime("finished_at")));
    }

    private static @Nullable Instant instant(@Nullable OffsetDateTime time) {
        return time == null ? null : time.toInstant();
    }

    private JsonNode read(String text) {
        try {
            return json.readTree(text);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a stored job is JSON", e);
        }
    }

    private byte[] written(Object value) {
        try {
            return json.writeValueAsBytes(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(
                    "cannot serialise " + value.getClass().getSimpleName(), e);
        }
    }
}
