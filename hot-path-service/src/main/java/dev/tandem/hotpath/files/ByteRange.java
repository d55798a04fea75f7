package dev.tandem.hotpath.files;

import org.jspecify.annotations.Nullable;

/** One byte range of a single-range {@code Range} header (RFC 9110), within a file of {@code size} bytes. */
record ByteRange(long first, long last) {

    /** A range that is well-formed but lies outside the file: 416. */
    static final ByteRange UNSATISFIABLE = new ByteRange(-1, -1);

    /** first-last, first-, or -suffix: digits only (no signs), at most 18 of them. */
    private static final java.util.regex.Pattern RANGE_SPEC =
            java.util.regex.Pattern.compile("(\\d{0,18})\\s*-\\s*(\\d{0,18})");

    long length() {
        return last - first + 1;
    }

    /**
     * The range; {@link #UNSATISFIABLE} when it is well-formed but outside the file; null when
     * the header is to be ignored (another unit, bad syntax, several ranges) and the whole
     * file sent, as RFC 9110 allows.
     */
    static @Nullable ByteRange parse(String header, long size) {
        String value = header.strip();
        if (!value.regionMatches(true, 0, "bytes=", 0, 6) || value.contains(",")) {
            return null;
        }
        java.util.regex.Matcher spec = RANGE_SPEC.matcher(value.substring(6).strip());
        if (!spec.matches() || spec.group(1).isEmpty() && spec.group(2).isEmpty()) {
            return null;
        }
        try {
            String start = spec.group(1);
            String end = spec.group(2);
            if (start.isEmpty()) {
                long suffix = Long.parseLong(end);
                return suffix == 0 || size == 0 ? UNSATISFIABLE : new ByteRange(Math.max(0, size - suffix), size - 1);
            }
            long first = Long.parseLong(start);
            long last = end.isEmpty() ? Long.MAX_VALUE : Long.parseLong(end);
            if (last < first) {
                return null;
            }
            return first >= size ? UNSATISFIABLE : new ByteRange(first, Math.min(last, size - 1));
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
