package dev.tandem.hotpath.api;

import dev.tandem.hotpath.auth.Caller;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;
import org.jspecify.annotations.Nullable;

/**
 * {@code Idempotency-Key} on POSTs (draft-ietf-httpapi-idempotency-key-header): the first response
 * to a key is stored in the same transaction as what the POST created, so a retry (the network
 * dropped the answer, the app resent) gets that response again, marked
 * {@code Idempotent-Replayed: true}, and never a second row. Two concurrent requests with one key:
 * the second waits on the first's row lock and then replays its answer. The same key with a
 * different request is a 422. Keys are per workspace and account (the same key in two workspaces is two
 * keys) and kept for a day.
 */
@ApplicationScoped
public class Idempotency {

    public static final String HEADER = "Idempotency-Key";
    public static final String REPLAYED = "Idempotent-Replayed";

    private static final Logger log = Logger.getLogger(Idempotency.class);
    private static final Pattern KEY = Pattern.compile("^[\\x21-\\x7e]{1,255}$");

    /** A response as stored: enough to send it again. */
    public record Stored(int status, String body, @Nullable String location, boolean replayed) {

        public Response toResponse() {
            Response.ResponseBuilder response =
                    Response.status(status).type(MediaType.APPLICATION_JSON).entity(body);
            if (location != null) {
                response.location(URI.create(location));
            }
            if (replayed) {
                response.header(REPLAYED, "true");
            }
            return response.build();
        }
    }

    private final Pool pool;
    private final Duration keepFor;

    Idempotency(Pool pool, @ConfigProperty(name = "tandem.idempotency.keep-for") Duration keepFor) {
        this.pool = pool;
        this.keepFor = keepFor;
    }

    /** The key as sent, checked: null when absent, a 400 when malformed. */
    public static @Nullable String key(@Nullable String header) {
        if (header == null) {
            return null;
        }
        if (!KEY.matcher(header).matches()) {
            throw new BadRequestProblem(
                    "Idempotency-Key must be 1 to 255 visible ASCII characters; a UUID is a good choice.");
        }
        return header;
    }

    /** The fingerprint of a request: the same key may only ever be used for the same request. */
    public static byte[] fingerprint(String method, String path, byte[] body) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            digest.update((method + " " + path + "\n").getBytes(StandardCharsets.UTF_8));
            digest.update(body);
            return digest.digest();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }

    /**
     * Runs {@code action} in {@code transaction} unless this key was used before, in which case the
     * first response is returned instead. Must run inside the transaction that {@code action}'s
     * writes use.
     */
    public Uni<Stored> once(
            SqlClient transaction, Caller caller, String key, byte[] fingerprint, Supplier<Uni<Stored>> action) {
        long userId = caller.userId();
        long workspaceId = caller.workspaceId();
        return transaction
                .preparedQuery("insert into idempotency_keys (workspace_id, user_id, key, request_hash, status_code,"
                        + " response_body) values ($1, $2, $3, $4, 200, '') on conflict do nothing")
                .execute(Tuple.of(workspaceId, userId, key, io.vertx.core.buffer.Buffer.buffer(fingerprint)))
                .flatMap(inserted -> {
                    if (inserted.rowCount() == 1) {
                        return action.get()
                                .call(stored -> transaction
                                        .preparedQuery(
                                                "update idempotency_keys set status_code = $4, response_body = $5,"
                                                        + " location = $6 where workspace_id = $1 and user_id = $2"
                                                        + " and key = $3")
                                        .execute(Tuple.of(
                                                workspaceId,
                                                userId,
                                                key,
                                                stored.status(),
                                                stored.body(),
                                                stored.location())));
                    }
                    return previous(transaction, workspaceId, userId, key, fingerprint);
                });
    }

    private Uni<Stored> previous(SqlClient transaction, long workspaceId, long userId, String key, byte[] fingerprint) {
        return transaction
                .preparedQuery("select request_hash, status_code, response_body, location from idempotency_keys"
                        + " where workspace_id = $1 and user_id = $2 and key = $3")
                .execute(Tuple.of(workspaceId, userId, key))
                .map(rows -> {
                    if (rows.size() == 0) {
                        throw new ConflictProblem(409, "This Idempotency-Key is being cleaned up; retry in a moment.");
                    }
                    var row = rows.iterator().next();
                    if (!Arrays.equals(row.getBuffer("request_hash").getBytes(), fingerprint)) {
                        throw new ConflictProblem(
                                422, "This Idempotency-Key was used for a different request; use a new key.");
                    }
                    return new Stored(
                            row.getInteger("status_code"),
                            row.getString("response_body"),
                            row.getString("location"),
                            true);
                });
    }

    @Scheduled(every = "1h", delayed = "1m", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> forgetOldKeys() {
        return pool.preparedQuery("delete from idempotency_keys where created_at < $1")
                .execute(Tuple.of(OffsetDateTime.now(ZoneOffset.UTC).minus(keepFor)))
                .invoke(rows -> {
                    if (rows.rowCount() > 0) {
                        log.debugf("forgot %d idempotency keys", rows.rowCount());
                    }
                })
                .replaceWithVoid();
    }
}
