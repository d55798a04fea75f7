package dev.tandem.hotpath.content;

import dev.tandem.hotpath.files.FileStorage;
import dev.tandem.hotpath.messaging.EventConsumer;
import dev.tandem.schema.events.EventEnvelope;
import dev.tandem.schema.events.EventType;
import dev.tandem.schema.events.Events;
import dev.tandem.schema.events.UserDeleted;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Set;

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
                    List<String> keys = ErasedFiles.keys(deleted);
                    return tx.preparedQuery("delete from comments where author_id = $1")
                            .execute(user)
                            .flatMap(done -> tx.preparedQuery("delete from posts where author_id = $1")
                                    .execute(user))
                            .flatMap(done -> tx.preparedQuery("delete from idempotency_keys where user_id = $1")
                                    .execute(user))
                            .flatMap(done -> tx.preparedQuery("delete from inference_jobs where user_id = $1")
                                    .execute(user))
                            .call(done -> ErasedFiles.delete(files, keys, "account " + userId))
                            .replaceWith((Runnable) null);
                });
    }
}
