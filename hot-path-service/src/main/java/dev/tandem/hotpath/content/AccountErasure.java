package dev.tandem.hotpath.content;

import dev.tandem.hotpath.files.FileStorage;
import dev.tandem.hotpath.messaging.EventConsumer;
import dev.tandem.schema.events.EventEnvelope;
import dev.tandem.schema.events.EventType;
import dev.tandem.schema.events.Events;
import dev.tandem.schema.events.UserDeleted;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.jboss.logging.Logger;

/**
 * The right to erasure, on hot-path's side (queue {@code hot-path.account-erasure}): when core-app
 * closes an account ({@code user.deleted}), everything the account wrote here is removed in one
 * transaction: its posts (with every comment on them), its comments elsewhere, its files' records,
 * its stored idempotent responses and its inference jobs; the files' bytes are deleted within it, before the commit
 * (a failure rolls everything back and is retried). Until this
 * has run, the content is already hidden from every read (the account's status).
 *
 * <p>An event for an account that is not closed is refused (retried, then dead-lettered for an
 * operator): erasing a live account's content is not something to do on a message alone.
 */
@ApplicationScoped
class AccountErasure implements EventConsumer {

    private static final Logger log = Logger.getLogger(AccountErasure.class);

    private final FileStorage files;

    AccountErasure(FileStorage files) {
        this.files = files;
    }

    @Override
    public String queue() {
        return "hot-path.account-erasure";
    }

    @Override
    public Set<EventType<?>> types() {
        return Set.of(Events.USER_DELETED);
    }

    @Override
    public Uni<Runnable> apply(SqlClient tx, EventEnvelope<?> event) {
        long userId = ((UserDeleted) event.data()).userId();
        return tx.preparedQuery("select status from users where id = $1")
                .execute(Tuple.of(userId))
                .flatMap(rows -> {
                    if (rows.size() == 0) {
                        // Removed outright: the foreign keys' cascade already took the content.
                        return Uni.createFrom().item((Runnable) null);
                    }
                    String status = rows.iterator().next().getString("status");
                    if (!"DELETED".equals(status)) {
                        return Uni.createFrom()
                                .failure(new IllegalStateException(
                                        "account " + userId + " is " + status + ", not closed: nothing erased"));
                    }
                    return erase(tx, userId);
                });
    }

    private Uni<Runnable> erase(SqlClient tx, long userId) {
        Tuple user = Tuple.of(userId);
        return tx.preparedQuery("delete from attachments where owner_id = $1 returning storage_key")
                .execute(user)
                .flatMap(deleted -> {
                    List<String> keys = new ArrayList<>();
                    for (Row row : deleted) {
                        keys.add(row.getString("storage_key"));
                    }
                    return tx.preparedQuery("delete from comments where author_id = $1")
                            .execute(user)
                            .flatMap(done -> tx.preparedQuery("delete from posts where author_id = $1")
                                    .execute(user))
                            .flatMap(done -> tx.preparedQuery("delete from idempotency_keys where user_id = $1")
                                    .execute(user))
                            .flatMap(done -> tx.preparedQuery("delete from inference_jobs where user_id = $1")
                                    .execute(user))
                            // The bytes go before the commit: deleting is idempotent, so a failure
                            // here rolls back and is retried, and a crash after the commit leaves
                            // nothing behind.
                            .call(done -> deleteFiles(userId, keys))
                            .replaceWith((Runnable) null);
                });
    }

    /** The bytes of the erased files (a missing one counts as deleted); fails when one cannot be deleted. */
    private Uni<Void> deleteFiles(long userId, List<String> keys) {
        if (keys.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        List<Uni<Void>> deletions = new ArrayList<>(keys.size());
        for (String key : keys) {
            deletions.add(
                    Uni.createFrom().completionStage(() -> files.delete(key).toCompletionStage()));
        }
        return Uni.join()
                .all(deletions)
                .andFailFast()
                .invoke(done -> log.infof("erasure of account %d: %d files deleted", userId, keys.size()))
                .replaceWithVoid();
    }
}
