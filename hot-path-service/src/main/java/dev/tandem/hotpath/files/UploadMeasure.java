package dev.tandem.hotpath.files;

import io.vertx.core.buffer.Buffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Set;
import org.apache.tika.Tika;

/** Size, SHA-256 and the first bytes of an upload, computed as it streams by. */
final class UploadMeasure {

    private static final int SNIFF_BYTES = 8192;

    /** Plain text may be told apart by its name, for these harmless kinds only (never HTML or SVG). */
    private static final Set<String> TEXT_KINDS_BY_NAME =
            Set.of("text/csv", "text/tab-separated-values", "text/x-web-markdown", "text/markdown", "application/json");

    long size;
    boolean failed;
    final MessageDigest digest;
    final Buffer head = Buffer.buffer(SNIFF_BYTES);

    UploadMeasure() {
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
