package dev.tandem.hotpath.files;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tandem.hotpath.api.Problem;
import dev.tandem.hotpath.auth.Caller;
import dev.tandem.hotpath.limits.LimitsFilter;
import dev.tandem.hotpath.limits.RateLimits;
import dev.tandem.hotpath.limits.Usage;
import io.quarkus.runtime.configuration.MemorySize;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.vertx.http.runtime.security.HttpAuthenticator;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.streams.ReadStream;
import io.vertx.core.streams.WriteStream;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.ws.rs.core.Response.Status;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Set;
import java.util.UUID;
import org.apache.tika.Tika;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;
import org.jspecify.annotations.Nullable;

/**
 * Upload and download, as plain Vert.x routes so that bodies stream: an upload goes from the socket
 * to storage in writes of up to 256 KB (with back-pressure), hashed and measured on the way, and is refused
 * with 413 the moment it passes the limit; a download is sent from storage (sendfile for local
 * files) with Range and ETag. They run before Quarkus' own body-size check, which guards the JSON
 * endpoints. Authentication, scopes and rate limits are the same as everywhere else.
 */
@ApplicationScoped
class FileRoutes {

    private static final Logger log = Logger.getLogger(FileRoutes.class);
    private static final int SNIFF_BYTES = 8192;
    /**
     * Bytes gathered before one write to storage. The socket delivers a body in chunks of a few KB,
     * and each write of an async file is a hop to a worker thread: measured on the bench's 10 MB
     * upload, writing chunk by chunk cost most of the upload's CPU. Bounded: this much per upload.
     */
    static final int WRITE_BYTES = 256 * 1024;

    /** Plain text may be told apart by its name, for these harmless kinds only (never HTML or SVG). */
    private static final Set<String> TEXT_KINDS_BY_NAME =
            Set.of("text/csv", "text/tab-separated-values", "text/x-web-markdown", "text/markdown", "application/json");

    private final FileStorage storage;
    private final FileRecords records;
    private final HttpAuthenticator authenticator;
    private final RateLimits limits;
    private final Usage usage;
    private final ObjectMapper json;
    private final long maximumSize;
    private final Tika tika = new Tika();

    FileRoutes(
            FileStorage storage,
            FileRecords records,
            HttpAuthenticator authenticator,
            RateLimits limits,
            Usage usage,
            ObjectMapper json,
            @ConfigProperty(name = "tandem.files.max-size") MemorySize maximumSize) {
        this.storage = storage;
        this.records = records;
        this.authenticator = authenticator;
        this.limits = limits;
        this.usage = usage;
        this.json = json;
        this.maximumSize = maximumSize.asLongValue();
    }

    void install(@Observes Router router) {
        router.post("/api/v1/files").order(-100).handler(this::upload);
        router.get("/api/v1/files/:id").order(-100).handler(this::download);
        router.head("/api/v1/files/:id").order(-100).handler(this::download);
    }

    // --- upload ----------------------------------------------------------------------------

    private void upload(RoutingContext context) {
        HttpServerRequest request = context.request();
        request.pause();
        // From here on, a client that goes away (at any step) leaves no open file and no temp file.
        Transfer transfer = new Transfer();
        request.exceptionHandler(failure -> transfer.abandon());
        context.response().closeHandler(closed -> transfer.abandon());
        String length = request.getHeader("Content-Length");
        if (length != null && declaredTooLarge(length)) {
            tooLarge(context);
            return;
        }
        admit(context, "files:write", true).onSuccess(caller -> {
            if (caller == null) {
                return;
            }
            String type = request.getHeader("Content-Type");
            if (type != null && type.toLowerCase().startsWith("multipart/form-data")) {
                multipart(context, caller, transfer);
            } else {
                String name = request.getParam("name");
                receive(
                        context,
                        caller,
                        transfer,
                        request,
                        name != null ? name : dispositionName(request.getHeader("Content-Disposition")));
            }
        });
    }

    /** The one upload of a request, so that whoever learns the client is gone can drop it. */
    private static final class Transfer {
        private FileStorage.@Nullable Upload upload;
        private boolean gone;

        /** Keeps the upload, or drops it at once when the client already went away. */
        boolean start(FileStorage.Upload started) {
            if (gone) {
                started.abort();
                return false;
            }
            upload = started;
            return true;
        }

        void done() {
            upload = null;
        }

        void abandon() {
            gone = true;
            if (upload != null) {
                upload.abort();
                upload = null;
            }
        }
    }

    private void multipart(RoutingContext context, Caller caller, Transfer transfer) {
        HttpServerRequest request = context.request();
        boolean[] seen = {false};
        long[] skipped = {0};
        request.setExpectMultipart(true);
        request.uploadHandler(part -> {
            if (seen[0] || !"file".equals(part.name())) {
                // Other file parts are read and dropped, but count: no endless body under any name.
                part.handler(chunk -> {
                    skipped[0] += chunk.length();
                    if (skipped[0] > maximumSize && !context.response().ended()) {
                        transfer.abandon();
                        tooLarge(context);
                        closeAfter(context);
                    }
                });
                return;
            }
            seen[0] = true;
            receive(context, caller, transfer, part, part.filename());
        });
        request.endHandler(end -> {
            if (!seen[0]) {
                problem(context, 422, "The multipart body has no part named 'file'.");
            }
        });
        request.resume();
    }

    /** Streams {@code source} to a new stored file, then records it and answers 201. */
    private void receive(
            RoutingContext context,
            Caller caller,
            Transfer transfer,
            ReadStream<Buffer> source,
            @Nullable String clientName) {
        UUID id = UUID.randomUUID();
        String key = LocalFileStorage.keyOf(id);
        Measured measured = new Measured();
        source.pause();
        source.exceptionHandler(failure -> {
            log.debugf("upload %s: the client went away: %s", id, failure.getMessage());
            transfer.abandon();
        });
        storage.create(key).onFailure(failure -> failed(context, failure)).onSuccess(upload -> {
            if (!transfer.start(upload)) {
                return;
            }
            WriteStream<Buffer> sink = upload.stream();
            Buffer[] gathered = {Buffer.buffer(WRITE_BYTES)};
            source.handler(chunk -> {
                if (measured.failed) {
                    return;
                }
                if (!measured.add(chunk, maximumSize)) {
                    measured.failed = true;
                    transfer.abandon();
                    tooLarge(context);
                    return;
                }
                gathered[0].appendBuffer(chunk);
                if (gathered[0].length() >= WRITE_BYTES) {
                    sink.write(gathered[0]);
                    gathered[0] = Buffer.buffer(WRITE_BYTES);
                    if (sink.writeQueueFull()) {
                        source.pause();
                        sink.drainHandler(drained -> source.resume());
                    }
                }
            });
            source.endHandler(end -> {
                if (measured.failed) {
                    return;
                }
                if (gathered[0].length() > 0) {
                    sink.write(gathered[0]); // written before the commit closes the file
                }
                String name = FileNames.clean(clientName);
                String contentType = measured.contentType(tika, name);
                // From here the upload is kept whatever the client does: closing the file twice (the
                // commit, then a client that hangs up before the answer) would fail.
                transfer.done();
                upload.commit()
                        .onFailure(failure -> upload.abort())
                        .compose(committed -> {
                            return Future.fromCompletionStage(records.insert(
                                                    id,
                                                    caller.userId(),
                                                    key,
                                                    name,
                                                    contentType,
                                                    measured.size,
                                                    measured.sha256())
                                            .subscribeAsCompletionStage())
                                    .onFailure(failure -> storage.delete(key));
                        })
                        .onSuccess(stored -> {
                            usage.record(caller.userId(), "storage.uploaded_bytes", measured.size);
                            send(
                                    context.response().setStatusCode(201).putHeader("Location", "/api/v1/files/" + id),
                                    stored.view());
                        })
                        .onFailure(failure -> failed(context, failure));
            });
            source.resume();
        });
    }

    /** Size, SHA-256 and the first bytes of an upload, computed as it streams by. */
    private static final class Measured {
        long size;
        boolean failed;
        final MessageDigest digest;
        final Buffer head = Buffer.buffer(SNIFF_BYTES);

        Measured() {
            try {
                digest = MessageDigest.getInstance("SHA-256");
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
            }
        }

        /** Takes a chunk into account; false when it makes the upload too large. */
        boolean add(Buffer chunk, long maximum) {
            size += chunk.length();
            if (size > maximum) {
                return false;
            }
            digest.update(chunk.getByteBuf().nioBuffer());
            if (head.length() < SNIFF_BYTES) {
                head.appendBuffer(chunk, 0, Math.min(chunk.length(), SNIFF_BYTES - head.length()));
            }
            return true;
        }

        String sha256() {
            return HexFormat.of().formatHex(digest.digest());
        }

        /** What the bytes are (magic numbers first, the name's extension only for plain text kinds). */
        String contentType(Tika tika, String name) {
            String detected = tika.detect(head.getBytes()).toLowerCase();
            if (detected.equals("text/plain")) {
                String byName = tika.detect(name).toLowerCase();
                if (TEXT_KINDS_BY_NAME.contains(byName)) {
                    detected = byName;
                }
            }
            return detected.matches("^[a-z0-9.+-]+/[a-z0-9.+-]+$") ? detected : "application/octet-stream";
        }
    }

    // --- download --------------------------------------------------------------------------

    private void download(RoutingContext context) {
        UUID id;
        try {
            id = UUID.fromString(context.pathParam("id"));
        } catch (IllegalArgumentException e) {
            problem(context, 404, "There is no file " + context.pathParam("id") + ".");
            return;
        }
        admit(context, "files:read", false).onSuccess(caller -> {
            if (caller == null) {
                return;
            }
            Future.fromCompletionStage(records.find(id).subscribeAsCompletionStage())
                    .onFailure(failure -> failed(context, failure))
                    .onSuccess(found -> {
                        if (found.isEmpty() || !caller.mayModify(found.get().ownerId())) {
                            problem(context, 404, "There is no file " + id + ".");
                            return;
                        }
                        serve(context, found.get());
                    });
        });
    }

    private void serve(RoutingContext context, FileRecords.StoredFile file) {
        HttpServerRequest request = context.request();
        HttpServerResponse response = context.response();
        FileView view = file.view();
        String etag = "\"" + view.sha256() + "\"";
        response.putHeader("ETag", etag)
                .putHeader("Accept-Ranges", "bytes")
                .putHeader("Cache-Control", "private, no-cache")
                .putHeader("X-Content-Type-Options", "nosniff")
                .putHeader("Content-Security-Policy", "sandbox; default-src 'none'")
                .putHeader("Content-Disposition", FileNames.attachment(view.name()));
        String ifNoneMatch = request.getHeader("If-None-Match");
        if (ifNoneMatch != null
                && (ifNoneMatch.contains(etag) || ifNoneMatch.strip().equals("*"))) {
            response.setStatusCode(304).end();
            return;
        }
        String range = request.getHeader("Range");
        String ifRange = request.getHeader("If-Range");
        long size = view.size();
        long offset = 0;
        long length = size;
        if (range != null && (ifRange == null || ifRange.strip().equals(etag))) {
            ByteRange wanted = ByteRange.parse(range, size);
            if (wanted == ByteRange.UNSATISFIABLE) {
                response.putHeader("Content-Range", "bytes */" + size);
                problem(context, 416, "The range " + range + " is not within the file's " + size + " bytes.");
                return;
            }
            if (wanted != null) {
                offset = wanted.first();
                length = wanted.length();
                response.setStatusCode(206)
                        .putHeader("Content-Range", "bytes " + wanted.first() + "-" + wanted.last() + "/" + size);
            }
        }
        response.putHeader("Content-Type", view.contentType());
        if (length == 0 || request.method() == io.vertx.core.http.HttpMethod.HEAD) {
            response.putHeader("Content-Length", Long.toString(length)).end();
            return;
        }
        storage.send(file.storageKey(), response, offset, length).onFailure(failure -> failed(context, failure));
    }

    // --- shared ----------------------------------------------------------------------------

    /**
     * The authenticated caller holding {@code scope}, within their rate limit; otherwise the
     * problem is sent and the future holds null.
     */
    private Future<@Nullable Caller> admit(RoutingContext context, String scope, boolean bodyUnread) {
        String address = LimitsFilter.address(context.request());
        return Future.fromCompletionStage(
                        authenticator.attemptAuthentication(context).subscribeAsCompletionStage())
                .map(identity -> {
                    if (identity == null || identity.isAnonymous()) {
                        context.response().putHeader("WWW-Authenticate", "Bearer realm=\"tandem\"");
                        refuse(
                                context,
                                bodyUnread,
                                401,
                                "This needs an access token or API key: Authorization: Bearer <token>.");
                        return null;
                    }
                    RateLimits.Decision decision = limits.admit(identity, address);
                    decision.headers(context.response()::putHeader);
                    if (!decision.allowed()) {
                        refuse(
                                context,
                                bodyUnread,
                                429,
                                "Rate limit reached: retry in " + decision.retryAfterSeconds() + " s.");
                        return null;
                    }
                    if (!scopes(identity).contains(scope)) {
                        refuse(context, bodyUnread, 403, "This needs the " + scope + " scope.");
                        return null;
                    }
                    return Caller.of(identity);
                })
                .recover(failure -> {
                    if (!(failure instanceof AuthenticationFailedException)) {
                        if (bodyUnread) {
                            closeAfter(context);
                        }
                        failed(context, failure);
                        return Future.succeededFuture(null);
                    }
                    // Failed attempts cost the client address, so guessing keys is throttled too.
                    RateLimits.Decision decision = limits.failedAttempt(address);
                    if (!decision.allowed()) {
                        decision.headers(context.response()::putHeader);
                        refuse(
                                context,
                                bodyUnread,
                                429,
                                "Too many failed attempts: retry in " + decision.retryAfterSeconds() + " s.");
                        return Future.succeededFuture(null);
                    }
                    context.response()
                            .putHeader("WWW-Authenticate", "Bearer realm=\"tandem\", error=\"invalid_token\"");
                    refuse(
                            context,
                            bodyUnread,
                            401,
                            "The access token or API key is not valid (expired, revoked, or not issued by Tandem).");
                    return Future.succeededFuture(null);
                });
    }

    /** A problem answered before the body was read: the connection is closed rather than drained. */
    private static void refuse(RoutingContext context, boolean bodyUnread, int status, String detail) {
        if (bodyUnread) {
            closeAfter(context);
        }
        problem(context, status, detail);
    }

    /**
     * Ends the exchange without reading the rest of the request body: over HTTP/1 the connection is
     * closed once the answer is out (Vert.x keeps it open for a response's "Connection: close"
     * alone). Over HTTP/2 the paused stream holds the client back by flow control until it resets.
     */
    private static void closeAfter(RoutingContext context) {
        HttpServerRequest request = context.request();
        if (request.version() == io.vertx.core.http.HttpVersion.HTTP_2) {
            return;
        }
        if (context.response().ended()) {
            request.connection().close();
        } else {
            context.response().endHandler(ended -> request.connection().close());
        }
    }

    private static Set<String> scopes(SecurityIdentity identity) {
        Set<String> scopes = identity.getAttribute(Caller.SCOPES);
        return scopes == null ? Set.of() : scopes;
    }

    private boolean declaredTooLarge(String length) {
        try {
            return Long.parseLong(length.strip()) > maximumSize;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    private void tooLarge(RoutingContext context) {
        if (context.request().version() != io.vertx.core.http.HttpVersion.HTTP_2) {
            context.response().putHeader("Connection", "close");
        }
        refuse(context, true, 413, "A file may have at most " + maximumSize + " bytes.");
    }

    private static @Nullable String dispositionName(@Nullable String disposition) {
        if (disposition == null) {
            return null;
        }
        java.util.regex.Matcher matcher =
                java.util.regex.Pattern.compile("filename=\"?([^\";]+)\"?").matcher(disposition);
        return matcher.find() ? matcher.group(1) : null;
    }

    private void send(HttpServerResponse response, Object body) {
        try {
            response.putHeader("Content-Type", "application/json").end(Buffer.buffer(json.writeValueAsBytes(body)));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void problem(RoutingContext context, int status, String detail) {
        Status known = Status.fromStatusCode(status);
        String title = known != null ? known.getReasonPhrase() : status == 416 ? "Range Not Satisfiable" : "Error";
        new Problem(
                        Problem.ABOUT_BLANK,
                        title,
                        status,
                        detail,
                        context.request().path(),
                        null)
                .send(context.response());
    }

    private static void failed(RoutingContext context, Throwable failure) {
        String incident = UUID.randomUUID().toString();
        log.errorf(
                failure,
                "unexpected error %s on %s",
                incident,
                context.request().path());
        problem(context, 500, "Something went wrong on our side. Quote incident " + incident + " if you report it.");
    }
}
