package dev.tandem.hotpath.content;

import dev.tandem.hotpath.files.FileStorage;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import java.util.ArrayList;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * The bytes of files whose records an erasure deleted. They go before the erasure commits: deleting
 * is idempotent, so a failure rolls the erasure back to be retried, and a crash after the commit
 * leaves nothing behind. A file already missing counts as deleted.
 */
final class ErasedFiles {

    private static final Logger log = Logger.getLogger(ErasedFiles.class);

    private ErasedFiles() {}

    /** The storage keys returned by a {@code delete from attachments ... returning storage_key}. */
    static List<String> keys(RowSet<Row> deleted) {
        List<String> keys = new ArrayList<>();
        for (Row row : deleted) {
            keys.add(row.getString("storage_key"));
        }
        return keys;
    }

    /** Deletes the bytes; fails when one cannot be deleted. {@code of} names what is erased, for the log. */
    static Uni<Void> delete(FileStorage files, List<String> keys, String of) {
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
                .invoke(done -> log.infof("erasure of %s: %d files deleted", of, keys.size()))
                .replaceWithVoid();
    }
}
