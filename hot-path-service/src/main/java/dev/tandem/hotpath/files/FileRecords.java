package dev.tandem.hotpath.files;

import dev.tandem.hotpath.api.Cursor;
import dev.tandem.hotpath.auth.Caller;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/** Files' metadata in {@code attachments}. */
@ApplicationScoped
class FileRecords {

    /** A file as stored: its view, its owner and where its bytes are. */
    record StoredFile(FileView view, long ownerId, String storageKey) {}

    // Every statement names the caller's workspace: another workspace's file is not found.

    private static final String COLUMNS =
            "id, owner_id, storage_key, file_name, content_type, size_bytes, sha256, created_at";

    private final Pool pool;

    FileRecords(Pool pool) {
        this.pool = pool;
    }

    Uni<StoredFile> insert(
            UUID id, Caller owner, String key, String name, String contentType, long size, String sha256) {
        return pool.preparedQuery("insert into attachments (id, owner_id, workspace_id, storage_key, file_name,"
                        + " content_type, size_bytes, sha256) values ($1, $2, $3, $4, $5, $6, $7, $8) returning "
                        + COLUMNS)
                .execute(Tuple.from(
                        List.of(id, owner.userId(), owner.workspaceId(), key, name, contentType, size, sha256)))
                .map(rows -> read(rows.iterator().next()));
    }

    /** The file, if the caller may see it: in its workspace, and its own (a moderator: anyone's there). */
    Uni<Optional<StoredFile>> find(Caller caller, UUID id) {
        return pool.preparedQuery("select " + COLUMNS + " from attachments where id = $1 and workspace_id = $2"
                        + " and (owner_id = $3 or $4)")
                .execute(Tuple.of(id, caller.workspaceId(), caller.userId(), caller.moderates()))
                .map(rows -> rows.size() == 0
                        ? Optional.empty()
                        : Optional.of(read(rows.iterator().next())));
    }

    /** The caller's own files in its workspace, newest first. */
    Uni<List<FileView>> ofOwner(Caller owner, @Nullable Cursor after, int rows) {
        String query = "select " + COLUMNS + " from attachments where workspace_id = $3 and owner_id = $1"
                + (after == null ? "" : " and (created_at, id) < ($4, $5)")
                + " order by created_at desc, id desc limit $2";
        Tuple params = Tuple.of(owner.userId(), rows, owner.workspaceId());
        if (after != null) {
            params.addValue(after.at().atOffset(ZoneOffset.UTC)).addValue(after.uuid());
        }
        return pool.preparedQuery(query).execute(params).map(found -> {
            List<FileView> views = new ArrayList<>(found.size());
            found.forEach(row -> views.add(read(row).view()));
            return views;
        });
    }

    Uni<Boolean> delete(Caller caller, UUID id) {
        return pool.preparedQuery("delete from attachments where id = $1 and workspace_id = $2")
                .execute(Tuple.of(id, caller.workspaceId()))
                .map(rows -> rows.rowCount() > 0);
    }

    private static StoredFile read(Row row) {
        return new StoredFile(
                new FileView(
                        row.getUUID("id"),
                        row.getString("file_name"),
                        row.getString("content_type"),
                        row.getLong("size_bytes"),
                        row.getString("sha256"),
                        row.getOffsetDateTime("created_at").toInstant()),
                row.getLong("owner_id"),
                row.getString("storage_key"));
    }
}
