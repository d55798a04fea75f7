package dev.tandem.hotpath.limits;

import dev.tandem.hotpath.messaging.Outbox;
import dev.tandem.schema.events.Events;
import dev.tandem.schema.events.UsageRecorded;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.jboss.logging.Logger;

/**
 * Meters usage per workspace, account and UTC day: counted in memory (an atomic sum per account, day and metric:
 * no I/O on the request path) and added to {@code usage_counters} in one statement every
 * few seconds and at shutdown, in the transaction that also reports the increments to core-app
 * as {@code usage.recorded} events (the outbox). A failed flush puts its counts back for the next one. A crash loses
 * at most one interval of counts, which is the price of not writing a row per request.
 */
@ApplicationScoped
public class Usage {

    /** Metric names in usage_counters. */
    public static final String API_CALLS = "api.calls";

    private static final Logger log = Logger.getLogger(Usage.class);

    private record Key(long workspaceId, long userId, LocalDate day, String metric) {}

    private final Map<Key, Long> pending = new ConcurrentHashMap<>();
    private final Map<String, Instant> keysUsed = new ConcurrentHashMap<>();
    private final Pool pool;
    private final Outbox outbox;
    private final Clock clock;

    Usage(Pool pool, Outbox outbox, Clock clock) {
        this.pool = pool;
        this.outbox = outbox;
        this.clock = clock;
    }

    /** Meters {@code quantity} of {@code metric} for the account in the workspace, today (UTC). */
    public void record(long workspaceId, long userId, String metric, long quantity) {
        LocalDate day = LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC);
        pending.merge(new Key(workspaceId, userId, day, metric), quantity, Long::sum);
    }

    /** Notes that this API key was used now (its last use is flushed with the counters). */
    public void keyUsed(String keyId) {
        keysUsed.merge(keyId, clock.instant(), (a, b) -> a.isAfter(b) ? a : b);
    }

    @Scheduled(every = "${tandem.usage.flush-every}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> flush() {
        return flushKeys().call(this::flushCounters);
    }

    /** Last uses of API keys, in one statement; keys revoked and deleted meanwhile are skipped. */
    private Uni<Void> flushKeys() {
        if (keysUsed.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        List<String> ids = new ArrayList<>();
        List<OffsetDateTime> times = new ArrayList<>();
        for (String id : List.copyOf(keysUsed.keySet())) {
            Instant used = keysUsed.remove(id);
            if (used != null) {
                ids.add(id);
                times.add(used.atOffset(ZoneOffset.UTC));
            }
        }
        String upsert = "insert into api_key_usage (key_id, last_used_at)"
                + " select u.key_id, u.used from unnest($1::text[], $2::timestamptz[]) as u(key_id, used)"
                + " join api_keys k on k.id = u.key_id"
                + " on conflict (key_id) do update set last_used_at = greatest(api_key_usage.last_used_at, excluded.last_used_at)";
        return pool.preparedQuery(upsert)
                .execute(Tuple.of(ids.toArray(String[]::new), times.toArray(OffsetDateTime[]::new)))
                .replaceWithVoid()
                .onFailure()
                .invoke(failure -> {
                    log.warnf(
                            "usage: could not record the last use of %d API keys: %s",
                            ids.size(), failure.getMessage());
                    for (int i = 0; i < ids.size(); i++) {
                        keysUsed.merge(ids.get(i), times.get(i).toInstant(), (a, b) -> a.isAfter(b) ? a : b);
                    }
                })
                .onFailure()
                .recoverWithNull();
    }

    private Uni<Void> flushCounters() {
        if (pending.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        List<Long> workspaces = new ArrayList<>();
        List<Long> users = new ArrayList<>();
        List<LocalDate> days = new ArrayList<>();
        List<String> metrics = new ArrayList<>();
        List<Long> quantities = new ArrayList<>();
        for (Key key : List.copyOf(pending.keySet())) {
            // remove() takes the count atomically: a merge racing with it lands before or after.
            Long removed = pending.remove(key);
            long quantity = removed == null ? 0 : removed;
            if (quantity > 0) {
                workspaces.add(key.workspaceId());
                users.add(key.userId());
                days.add(key.day());
                metrics.add(key.metric());
                quantities.add(quantity);
            }
        }
        if (users.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        // Accounts and workspaces deleted meanwhile are skipped by the joins instead of failing the
        // whole batch. The counters and the usage.recorded events reporting the same increments
        // commit together.
        String upsert = "with c as (select c.workspace_id, c.user_id, c.day, c.metric, c.quantity"
                + " from unnest($1::bigint[], $2::bigint[], $3::date[], $4::text[], $5::bigint[])"
                + " as c(workspace_id, user_id, day, metric, quantity)"
                + " join users u on u.id = c.user_id join workspaces w on w.id = c.workspace_id),"
                + " counted as (insert into usage_counters (workspace_id, user_id, day, metric, quantity)"
                + " select * from c on conflict (workspace_id, user_id, day, metric)"
                + " do update set quantity = usage_counters.quantity + excluded.quantity)"
                + " select workspace_id, user_id, day, metric, quantity from c";
        Tuple batch = Tuple.of(
                workspaces.toArray(Long[]::new),
                users.toArray(Long[]::new),
                days.toArray(LocalDate[]::new),
                metrics.toArray(String[]::new),
                quantities.toArray(Long[]::new));
        return pool.withTransaction(tx -> tx.preparedQuery(upsert)
                        .execute(batch)
                        .flatMap(rows -> {
                            List<UsageRecorded.Entry> entries = new ArrayList<>(rows.size());
                            for (Row row : rows) {
                                entries.add(new UsageRecorded.Entry(
                                        row.getLong("user_id"),
                                        row.getLocalDate("day"),
                                        row.getString("metric"),
                                        row.getLong("quantity"),
                                        row.getLong("workspace_id")));
                            }
                            return report(tx, entries);
                        }))
                .replaceWithVoid()
                .onFailure()
                .invoke(failure -> {
                    log.warnf(
                            "usage: could not flush %d counters, keeping them for the next try: %s",
                            users.size(), failure.getMessage());
                    for (int i = 0; i < users.size(); i++) {
                        pending.merge(
                                new Key(workspaces.get(i), users.get(i), days.get(i), metrics.get(i)),
                                quantities.get(i),
                                Long::sum);
                    }
                })
                .onFailure()
                .recoverWithNull();
    }

    /** Appends the entries to the outbox as usage.recorded events of at most 500 entries each. */
    private Uni<Void> report(SqlClient tx, List<UsageRecorded.Entry> entries) {
        Uni<Void> appended = Uni.createFrom().voidItem();
        for (int from = 0; from < entries.size(); from += UsageRecorded.MAX_ENTRIES) {
            List<UsageRecorded.Entry> part =
                    entries.subList(from, Math.min(entries.size(), from + UsageRecorded.MAX_ENTRIES));
            appended = appended.call(() -> outbox.append(tx, Events.USAGE_RECORDED, new UsageRecorded(part)));
        }
        return appended;
    }

    void onStop(@Observes ShutdownEvent event) {
        flush().await().atMost(Duration.ofSeconds(5));
    }
}
