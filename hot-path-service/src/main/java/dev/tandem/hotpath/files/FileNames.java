package dev.tandem.hotpath.files;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.text.Normalizer;
import org.jspecify.annotations.Nullable;

/**
 * File names from clients are display names only: never part of a path. What is kept is the last
 * path segment, without control characters, at most 255 characters; what could not be a name
 * becomes {@code upload}.
 */
final class FileNames {

    static final String FALLBACK = "upload";

    private FileNames() {}

    static String clean(@Nullable String name) {
        if (name == null) {
            return FALLBACK;
        }
        String cleaned = Normalizer.normalize(name, Normalizer.Form.NFC);
        cleaned = cleaned.substring(Math.max(cleaned.lastIndexOf('/'), cleaned.lastIndexOf('\\')) + 1);
        cleaned = cleaned.replaceAll("[\\p{Cntrl}\\p{Zl}\\p{Zp}]", "").strip();
        if (cleaned.length() > 255) {
            cleaned = cleaned.substring(cleaned.length() - 255);
        }
        return cleaned.isEmpty() || cleaned.equals(".") || cleaned.equals("..") ? FALLBACK : cleaned;
    }

    /** {@code Content-Disposition: attachment} with an ASCII fallback and the exact name (RFC 6266). */
    static String attachment(String name) {
        String ascii = name.replaceAll("[^\\x20-\\x7e]", "_").replace("\\", "_").replace("\"", "_");
        String exact = URLEncoder.encode(name, StandardCharsets.UTF_8).replace("+", "%20");
        return "attachment; filename=\"" + ascii + "\"; filename*=UTF-8''" + exact;
    }
}
