package dev.tandem.hotpath.content;

import dev.tandem.hotpath.files.FileStorage;
import dev.tandem.hotpath.messaging.EventConsumer;
import dev.tandem.schema.events.EventEnvelope;
import dev.tandem.schema.events.EventType;
import dev.tandem.schema.events.Events;
import dev.tandem.schema.events.WorkspaceDeleted;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Set;

/**
 * A closed workspace's data on hot-path's side (queue {@code hot-path.workspace-erasure}): when
 * core-app closes a workspace ({@code workspace.deleted}), its posts, comments, files (records and
 * bytes), inference jobs and raw usage counters are removed in one transaction, the bytes before
 * the commit (see {@link ErasedFiles}). An event for a workspace that is not closed is refused
 * (retried, then dead-lettered), as for accounts.
 */
@ApplicationScoped
class WorkspaceErasure implements EventConsumer {

    private final FileStorage files;

    WorkspaceErasure(FileStorage files) {
        this.files = files;
    }

    @Override
    public String queue() {
        return "hot-path.workspace-erasure";
    }

    @Override
    public Set<EventType<?>> types() {
        return Set.of(Events.WORKSPACE_DELETED);
    }

    @Override
    public Uni<Runnable> apply(SqlClient tx, EventEnvelope<?> event) {
        long workspaceId = ((WorkspaceDeleted) event.data()).workspaceId();
        return tx.preparedQuery("select deleted_at is not null as closed from workspaces where id = $1")
                .execute(Tuple.of(workspaceId))
                .flatMap(rows -> {
                    if (rows.size() == 0) {
                        // Removed outright: the foreign keys' cascade already took the data.
                        return Uni.createFrom().item((Runnable) null);
                    }
                    if (!rows.iterator().next().getBoolean("closed")) {
                        return Uni.createFrom()
                                .failure(new IllegalStateException(
                                        "workspace " + workspaceId + " is open, not closed: nothing erased"));
                    }
                    return erase(tx, workspaceId);
                });
    }

    private Uni<Runnable> erase(SqlClient tx, long workspaceId) {
        Tuple workspace = Tuple.of(workspaceId);
        return tx.preparedQuery("delete from attachments where workspace_id = $1 returning storage_key")
                .execute(workspace)
                .flatMap(deleted -> {
                    List<String> keys = ErasedFiles.keys(deleted);
                    return tx.preparedQuery("delete from comments where workspace_id = $1")
                            .execute(workspace)
                            .flatMap(done -> tx.preparedQuery("delete from posts where workspace_id = $1")
                                    .execute(workspace))
                            .flatMap(done -> tx.preparedQuery("delete from inference_jobs where workspace_id = $1")
                                    .execute(workspace))
                            .flatMap(done -> tx.preparedQuery("delete from usage_counters where workspace_id = $1")
                                    .execute(workspace))
                            .call(done -> ErasedFiles.delete(files, keys, "workspace " + workspaceId))
                            .replaceWith((Runnable) null);
                });
    }
}
