package dev.tandem.bench;

import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tools.jackson.databind.json.JsonMapper;

/**
 * One wrk run as its Lua {@code done()} hook printed it ({@code WRK_JSON {...}}): requests,
 * duration, errors by kind, and latency percentiles in microseconds from wrk's histogram.
 */
record WrkResult(
        long requests,
        long durationMicros,
        long bytes,
        long connectErrors,
        long readErrors,
        long writeErrors,
        long statusErrors,
        long timeouts,
        double meanMicros,
        long p50Micros,
        long p90Micros,
        long p99Micros,
        long p999Micros,
        long maxMicros) {

    private static final Pattern LINE = Pattern.compile("^WRK_JSON (\\{.*})$", Pattern.MULTILINE);
    private static final JsonMapper JSON = JsonMapper.builder().build();

    static WrkResult parse(String output) {
        Matcher line = LINE.matcher(output);
        if (!line.find()) {
            throw new IllegalArgumentException("no WRK_JSON line in wrk's output:\n" + output);
        }
        return JSON.readValue(line.group(1), WrkResult.class);
    }

    /** Successful answers per second: wrk's count less the non-2xx/3xx ones (a fast 404 or 429 is no throughput). */
    double throughput() {
        return durationMicros == 0 ? 0 : Math.max(0, requests - statusErrors) * 1e6 / durationMicros;
    }

    /** Failed requests: refused or broken connections, timeouts and non-2xx/3xx answers. */
    long errors() {
        return connectErrors + readErrors + writeErrors + statusErrors + timeouts;
    }
}
