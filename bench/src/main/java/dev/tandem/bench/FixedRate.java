package dev.tandem.bench;

import io.vertx.core.http.HttpMethod;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import org.HdrHistogram.AbstractHistogram;

/**
 * The fixed-rate (open-model) runs: each read at 70 % of the throughput wrk found (latency that
 * does not hide queueing), and each service's user + posts + comments at 10 × that throughput
 * (overload: does it shed, and how fast).
 */
final class FixedRate {

    /** Requests the generator keeps open at most; more wait in its queue, and that wait counts. */
    static final int CONNECTIONS = 1_000;

    static final Duration TIMEOUT = Duration.ofSeconds(10);

    /**
     * One fixed-rate run.
     *
     * @param kind {@code 70 %} or {@code overload 10 ×}
     * @param offered requests per second sent on schedule
     * @param outcome what came back
     * @param cpuSecondsPer1000 the service's CPU time per 1 000 requests sent
     * @param cpuCores CPU seconds per second of the run: the service, PostgreSQL, and the generator
     *     (the bench's own JVM), which share the cores
     * @param peakRssMegabytes the service's resident-set high-water mark during the run
     */
    record Row(
            String scenario,
            String title,
            String kind,
            String service,
            double offered,
            OpenLoad.Outcome outcome,
            double cpuSecondsPer1000,
            Cores cpuCores,
            double peakRssMegabytes,
            String raw) {}

    /** CPU seconds per second of a run, of each party on the shared cores. */
    record Cores(double service, double postgres, double generator) {}

    private FixedRate() {}

    /** Runs {@code scenario} on one service at {@code rate} for {@code duration} seconds. */
    static Row run(
            Bench.Scenario scenario,
            String kind,
            String service,
            String base,
            String template,
            long firstUser,
            long lastUser,
            String token,
            long pid,
            double rate,
            int duration,
            Path raw)
            throws IOException, InterruptedException {
        Map<String, String> headers = token.isEmpty() ? Map.of() : Map.of("Authorization", "Bearer " + token);
        Commands.say(
                "%s on %s: %s, %,.0f requests/s for %d s (fixed rate)",
                scenario.title(), service, kind, rate, duration);
        ProcessStats.resetPeakRss(pid);
        double cpuBefore = ProcessStats.cpuSeconds(pid);
        Map<Long, Double> postgresBefore = ProcessStats.cpuByProcess("postgres");
        long self = ProcessHandle.current().pid();
        double generatorBefore = ProcessStats.cpuSeconds(self);
        long started = System.nanoTime();
        OpenLoad.Outcome outcome = OpenLoad.run(
                URI.create(base),
                i -> new OpenLoad.Call(
                        HttpMethod.GET,
                        String.format(
                                Locale.ROOT,
                                template,
                                ThreadLocalRandom.current().nextLong(firstUser, lastUser + 1)),
                        headers,
                        null),
                rate,
                Duration.ofSeconds(duration),
                CONNECTIONS,
                TIMEOUT);
        double seconds = (System.nanoTime() - started) / 1e9;
        double cpu = ProcessStats.cpuSeconds(pid) - cpuBefore;
        Cores cores = new Cores(
                cpu / seconds,
                ProcessStats.cpuBetween(postgresBefore, ProcessStats.cpuByProcess("postgres")) / seconds,
                (ProcessStats.cpuSeconds(self) - generatorBefore) / seconds);
        double peak = ProcessStats.peakRssMegabytes(pid);
        String file = scenario.id() + "-" + (kind.startsWith("overload") ? "overload" : "fixed-rate") + "-" + service
                + ".txt";
        Files.writeString(raw.resolve(file), describe(scenario.title() + ", " + kind, service, outcome));
        Commands.say(
                "  %,.0f ok/s (p99 %s), %,d shed (p99 %s), %,d other, %,d failed",
                outcome.okPerSecond(),
                Report.ms(outcome.ok().getValueAtPercentile(99)),
                outcome.shed().getTotalCount(),
                Report.ms(outcome.shed().getValueAtPercentile(99)),
                outcome.otherStatus(),
                outcome.failed());
        return new Row(
                scenario.id(),
                scenario.title(),
                kind,
                service,
                rate,
                outcome,
                cpu * 1000 / Math.max(1, outcome.requests()),
                cores,
                peak,
                "raw/" + file);
    }

    /** The run in words and both histograms' percentile distributions (µs), as the raw output. */
    static String describe(String what, String service, OpenLoad.Outcome outcome) {
        StringBuilder text = new StringBuilder();
        text.append(String.format(
                Locale.ROOT,
                "%s on %s: %,.0f requests/s offered for %.0f s, %,d sent; %,d ok, %,d shed (429/503), %,d other"
                        + " status, %,d failed (no answer)%n%nlatency from each request's due time, µs%n",
                what,
                service,
                outcome.rate(),
                outcome.seconds(),
                outcome.requests(),
                outcome.ok().getTotalCount(),
                outcome.shed().getTotalCount(),
                outcome.otherStatus(),
                outcome.failed()));
        text.append("\n== ok ==\n").append(distribution(outcome.ok()));
        text.append("\n== shed ==\n").append(distribution(outcome.shed()));
        return text.toString();
    }

    /** A histogram's percentile distribution (µs) as HdrHistogram prints it, for the raw outputs. */
    static String distribution(AbstractHistogram histogram) {
        if (histogram.getTotalCount() == 0) {
            return "(none)\n";
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        histogram.outputPercentileDistribution(new PrintStream(bytes, true, StandardCharsets.UTF_8), 5, 1.0);
        return bytes.toString(StandardCharsets.UTF_8);
    }
}
