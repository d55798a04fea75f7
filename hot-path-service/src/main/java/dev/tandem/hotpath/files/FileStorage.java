package dev.tandem.hotpath.files;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.streams.WriteStream;

/**
 * Where the bytes of files live, by key. Keys are made by the service (never from a client's file
 * name). Non-blocking: every operation completes a Vert.x future. The local folder is the only
 * implementation today; an S3-compatible one would implement the same three operations.
 */
public interface FileStorage {

    /** A new object being written; invisible under its key until {@link Upload#commit()}. */
    Future<Upload> create(String key);

    /** Sends bytes [offset, offset + length) of the object as the body of {@code response}. */
    Future<Void> send(String key, HttpServerResponse response, long offset, long length);

    /** Deletes the object; deleting a missing one succeeds. */
    Future<Void> delete(String key);

    /** An object being written. */
    interface Upload {

        WriteStream<Buffer> stream();

        /** Makes the object visible under its key. */
        Future<Void> commit();

        /** Drops what was written. */
        Future<Void> abort();
    }
}
