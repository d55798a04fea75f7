package dev.tandem.hotpath.content;

import dev.tandem.hotpath.inference.Moderation;
import dev.tandem.hotpath.inference.Moderation.Verdict;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.core.buffer.Buffer;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;

/**
 * Scores the posts and comments stored {@code pending} (the models were busy or slow at write
 * time, or they came in bulk): every few seconds, up to {@value #BATCH} of each, oldest first. A row
 * is updated only if it is still the version that was read, so an edit made meanwhile (which was
 * judged itself) is never overwritten; a row the models still cannot score stays pending for the
 * next run. Scoring bumps the row's version (its ETag changes with its state). One instance at a
 * time sweeps (an advisory lock), so several instances do not score the same rows.
 */
@ApplicationScoped
class ModerationSweeper {

    static final int BATCH = 128;

    private final Pool pool;
    private final Moderation moderation;

    ModerationSweeper(Pool pool, Moderation moderation) {
        this.pool = pool;
        this.moderation = moderation;
    }

    /** The PostgreSQL advisory lock that makes one instance at a time the sweeper. */
    static final long LEASE = 0x7a6e_6d6f_6465_7261L;

    @Scheduled(
            every = "${tandem.moderation.sweep-every}",
            delayed = "5s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> sweep() {
        return sweepIfLeader().replaceWithVoid();
    }

    /**
     * One sweep (a batch of posts, then of comments) by whichever instance holds the lease, a
     * session advisory lock on one pooled connection, released at the end (or by PostgreSQL if the
     * instance dies); the others skip this round. How many rows it scored; -1 when it skipped.
     */
    Uni<Integer> sweepIfLeader() {
        return pool.withConnection(lease -> lease.preparedQuery("select pg_try_advisory_lock($1) as leader")
                .execute(Tuple.of(LEASE))
                .flatMap(rows -> {
                    if (!rows.iterator().next().getBoolean("leader")) {
                        return Uni.createFrom().item(-1);
                    }
                    return sweepPosts()
                            .flatMap(posts -> sweepComments().map(comments -> posts + comments))
                            .eventually(() -> lease.preparedQuery("select pg_advisory_unlock($1)")
                                    .execute(Tuple.of(LEASE)));
                }));
    }

    /** Scores one batch of pending posts; how many it scored. */
    Uni<Integer> sweepPosts() {
        return sweep(
                "select id, version, title || E'\\n\\n' || body as text from posts"
                        + " where moderation <> 'visible' and moderated_at is null order by created_at limit $1",
                "with p as (update posts set moderation = $3, language = $4, sentiment = $5, spam = $6,"
                        + " moderated_at = now(), version = version + 1"
                        + " where id = $1 and version = $2 and moderated_at is null returning id)"
                        + " insert into post_embeddings (post_id, model, embedding) select id, '" + PostVectors.MODEL
                        + "', $7 from p on conflict (post_id) do update set embedding = excluded.embedding,"
                        + " updated_at = now()");
    }

    /** Scores one batch of pending comments; how many it scored. */
    Uni<Integer> sweepComments() {
        return sweep(
                "select id, version, body as text from comments"
                        + " where moderation <> 'visible' and moderated_at is null order by created_at limit $1",
                "update comments set moderation = $3, language = $4, sentiment = $5, spam = $6, moderated_at = now(),"
                        + " version = version + 1 where id = $1 and version = $2 and moderated_at is null"
                        + " and $7::bytea is not null");
    }

    private Uni<Integer> sweep(String select, String update) {
        return pool.preparedQuery(select).execute(Tuple.of(BATCH)).flatMap(rows -> {
            List<Row> pending = new ArrayList<>();
            rows.forEach(pending::add);
            if (pending.isEmpty()) {
                return Uni.createFrom().item(0);
            }
            List<String> texts =
                    pending.stream().map(row -> row.getString("text")).toList();
            return moderation.judgeAll(texts).flatMap(verdicts -> {
                List<Tuple> scored = new ArrayList<>();
                for (int i = 0; i < pending.size(); i++) {
                    Verdict verdict = verdicts.get(i);
                    if (verdict.scored()) {
                        Row row = pending.get(i);
                        scored.add(Tuple.tuple()
                                .addLong(row.getLong("id"))
                                .addLong(row.getLong("version"))
                                .addString(verdict.state())
                                .addString(verdict.language())
                                .addValue(verdict.sentiment())
                                .addValue(verdict.spam())
                                .addValue(Buffer.buffer(PostVectors.bytes(verdict.vector()))));
                    }
                }
                if (scored.isEmpty()) {
                    return Uni.createFrom().item(0);
                }
                return pool.preparedQuery(update).executeBatch(scored).map(done -> scored.size());
            });
        });
    }

    /** Runs sweeps until nothing is pending (tests; the schedule does one batch per run). */
    Uni<Integer> sweepAll() {
        return Multi.createBy()
                .repeating()
                .uni(() -> sweepPosts().flatMap(posts -> sweepComments().map(comments -> posts + comments)))
                .whilst(scored -> scored > 0)
                .collect()
                .with(java.util.stream.Collectors.summingInt(Integer::intValue));
    }
}
