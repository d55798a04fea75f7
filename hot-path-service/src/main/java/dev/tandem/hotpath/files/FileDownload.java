package dev.tandem.hotpath.files;

import static dev.tandem.hotpath.files.FileAnswers.failed;
import static dev.tandem.hotpath.files.FileAnswers.problem;

import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;

/** The answer to a download of a file the caller may read. */
final class FileDownload {

    private FileDownload() {}

    /**
     * Sends a stored file: ETag (its SHA-256) and If-None-Match, one Range (If-Range honoured),
     * headers that keep a browser from running it, and the bytes from storage (sendfile locally).
     */
    static void serve(RoutingContext context, FileRecords.StoredFile file, FileStorage storage) {
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
}
