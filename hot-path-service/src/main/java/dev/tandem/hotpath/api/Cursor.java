package dev.tandem.hotpath.api;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A position in a list ordered by (time, id): the last item a page showed. Clients get it as an
 * opaque base64url string and must not build one; one that does not decode is a 400.
 */
public record Cursor(Instant at, String id) {

    private static final Pattern FORMAT = Pattern.compile("^1:(-?\\d{1,19}):(\\d{1,9}):([0-9a-f-]{1,36})$");

    public Cursor(Instant at, long id) {
        this(at, Long.toString(id));
    }

    /** The id of a list with numeric ids; a 400 when the client sent another list's cursor. */
    public long numericId() {
        try {
            return Long.parseLong(id);
        } catch (NumberFormatException e) {
            throw new BadRequestProblem("The cursor belongs to another list; start again without it.");
        }
    }

    /** The id of a list with UUIDs; a 400 when the client sent another list's cursor. */
    public java.util.UUID uuid() {
        try {
            return java.util.UUID.fromString(id);
        } catch (IllegalArgumentException e) {
            throw new BadRequestProblem("The cursor belongs to another list; start again without it.");
        }
    }

    public String encode() {
        String raw = "1:" + at.getEpochSecond() + ":" + at.getNano() + ":" + id;
        return Base64.getUrlEncoder().withoutPadding().encodeToString(raw.getBytes(StandardCharsets.US_ASCII));
    }

    /** The cursor a client sent back, or a {@link BadRequestProblem} if it is not one this API made. */
    public static Cursor decode(String value) {
        try {
            String raw = new String(Base64.getUrlDecoder().decode(value), StandardCharsets.US_ASCII);
            Matcher matcher = FORMAT.matcher(raw);
            if (matcher.matches()) {
                int nanos = Integer.parseInt(matcher.group(2));
                if (nanos < 1_000_000_000) {
                    return new Cursor(Instant.ofEpochSecond(Long.parseLong(matcher.group(1)), nanos), matcher.group(3));
                }
            }
        } catch (IllegalArgumentException | java.time.DateTimeException e) {
            // falls through to the refusal
        }
        throw new BadRequestProblem("The cursor is not one this API gave out; start again without it.");
    }
}
