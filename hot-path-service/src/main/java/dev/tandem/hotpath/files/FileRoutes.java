package dev.tandem.hotpath.files;

import static dev.tandem.hotpath.files.FileAnswers.failed;
import static dev.tandem.hotpath.files.FileAnswers.problem;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tandem.hotpath.auth.Caller;
import dev.tandem.hotpath.limits.LimitsFilter;
import dev.tandem.hotpath.limits.RateLimits;
import dev.tandem.hotpath.limits.Usage;
import dev.tandem.schema.workspaces.WorkspaceAction;
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
    /**
     * Bytes gathered before one write to storage. The socket delivers a body in chunks of a few KB,
     * and each write of an async file is a hop to a worker thread: measured on the bench's 10 MB
     * upload, writing chunk by chunk cost most of the upload's CPU. Bounded: this much per upload.
     */
    static final int WRITE_BYTES = 256 * 1024;

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
        admit(context, "files:write", WorkspaceAction.WRITE_CONTENT, true).onSuccess(caller -> {
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
        UploadMeasure measured = new UploadMeasure();
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
                                                    caller,
                                                    key,
                                                    name,
                                                    contentType,
                                                    measured.size,
                                                    measured.sha256())
                                            .subscribeAsCompletionStage())
                                    .onFailure(failure -> storage.delete(key));
                        })
                        .onSuccess(stored -> {
                            usage.record(
                                    caller.workspaceId(), caller.userId(), "storage.uploaded_bytes", measured.size);
                            send(
                                    context.response().setStatusCode(201).putHeader("Location", "/api/v1/files/" + id),
                                    stored.view());
                        })
                        .onFailure(failure -> failed(context, failure));
            });
            source.resume();
        });
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
        admit(context, "files:read", null, false).onSuccess(caller -> {
            if (caller == null) {
                return;
            }
            Future.fromCompletionStage(records.find(caller, id).subscribeAsCompletionStage())
                    .onFailure(failure -> failed(context, failure))
                    .onSuccess(found -> {
                        if (found.isEmpty()) {
                            problem(context, 404, "There is no file " + id + ".");
                            return;
                        }
                        FileDownload.serve(context, found.get(), storage);
                    });
        });
    }

    // --- shared ----------------------------------------------------------------------------

    /**
     * The authenticated caller holding {@code scope} and a role that may do {@code action} (when
     * given), within their rate limit; otherwise the
     * problem is sent and the future holds null.
     */
    private Future<@Nullable Caller> admit(
            RoutingContext context, String scope, @Nullable WorkspaceAction action, boolean bodyUnread) {
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
                    Caller caller = Caller.of(identity);
                    if (action != null && !caller.may(action)) {
                        refuse(context, bodyUnread, 403, caller.refusal(action));
                        return null;
                    }
                    return caller;
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
}
