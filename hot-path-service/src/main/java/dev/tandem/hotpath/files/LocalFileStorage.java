package dev.tandem.hotpath.files;

import io.quarkus.runtime.Startup;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.file.AsyncFile;
import io.vertx.core.file.FileSystem;
import io.vertx.core.file.OpenOptions;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.streams.WriteStream;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Files in a local folder ({@code TANDEM_FILES_DIR}): an upload is written to {@code .incoming/}
 * and moved into place on commit, so a half-written file is never visible (and what a crash
 * leaves there is deleted at the next start). Keys are checked
 * against a strict pattern and the resolved path must stay inside the folder: no traversal, ever.
 */
@ApplicationScoped
@Startup
class LocalFileStorage implements FileStorage {

    private static final Logger log = Logger.getLogger(LocalFileStorage.class);

    static final Pattern KEY = Pattern.compile("^[0-9a-f]{2}/[0-9a-f]{2}/[0-9a-f-]{36}$");

    private final Vertx vertx;
    private final Path root;
    private final Path incoming;

    LocalFileStorage(Vertx vertx, @ConfigProperty(name = "tandem.files.dir") Path root) {
        this.vertx = vertx;
        this.root = root.toAbsolutePath().normalize();
        this.incoming = this.root.resolve(".incoming");
        try {
            Files.createDirectories(incoming);
            sweep(incoming, Instant.now().minus(Duration.ofHours(1)));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare the files folder " + incoming, e);
        }
    }

    /**
     * Deletes partial uploads a crash left behind. Only old ones: another instance sharing the
     * folder may be writing the recent ones.
     */
    private static void sweep(Path incoming, Instant before) throws IOException {
        try (Stream<Path> partial = Files.list(incoming)) {
            for (Path file : (Iterable<Path>) partial::iterator) {
                if (Files.getLastModifiedTime(file).toInstant().isBefore(before)) {
                    log.infof("files: deleting %s, a partial upload left by a crash", file.getFileName());
                    Files.deleteIfExists(file);
                }
            }
        }
    }

    /** The key of a file id: two levels of folders so that no folder grows too large. */
    static String keyOf(UUID id) {
        String value = id.toString();
        return value.substring(0, 2) + "/" + value.substring(2, 4) + "/" + value;
    }

    @Override
    public Future<Upload> create(String key) {
        Path target = resolve(key);
        Path temporary = incoming.resolve(UUID.randomUUID().toString());
        FileSystem files = vertx.fileSystem();
        return files.open(temporary.toString(), new OpenOptions().setWrite(true).setCreateNew(true))
                .map(file -> new LocalUpload(files, file, temporary, target));
    }

    @Override
    public Future<Void> send(String key, HttpServerResponse response, long offset, long length) {
        return response.sendFile(resolve(key).toString(), offset, length);
    }

    @Override
    public Future<Void> delete(String key) {
        Path path = resolve(key);
        return vertx.fileSystem()
                .exists(path.toString())
                .compose(exists -> exists ? vertx.fileSystem().delete(path.toString()) : Future.succeededFuture());
    }

    private Path resolve(String key) {
        if (!KEY.matcher(key).matches()) {
            throw new IllegalArgumentException("not a storage key: " + key);
        }
        Path path = root.resolve(key).normalize();
        if (!path.startsWith(root)) {
            throw new IllegalArgumentException("storage key outside the files folder: " + key);
        }
        return path;
    }

    private record LocalUpload(FileSystem files, AsyncFile file, Path temporary, Path target) implements Upload {

        @Override
        public WriteStream<Buffer> stream() {
            return file;
        }

        @Override
        public Future<Void> commit() {
            return file.close()
                    .compose(closed -> files.mkdirs(target.getParent().toString()))
                    .compose(made -> files.move(temporary.toString(), target.toString()));
        }

        @Override
        public Future<Void> abort() {
            Future<Void> closing;
            try {
                closing = file.close();
            } catch (IllegalStateException alreadyClosed) { // a commit that failed after closing it
                closing = Future.succeededFuture();
            }
            return closing.transform(closed -> files.delete(temporary.toString()))
                    .transform(deleted -> Future.succeededFuture());
        }
    }
}
