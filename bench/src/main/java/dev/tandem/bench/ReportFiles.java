package dev.tandem.bench;

import static dev.tandem.bench.Bench.JAVA_OPTS;
import static dev.tandem.bench.Commands.run;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/** Writes the run's report: the targets worked out from the results, the method, the machine. */
final class ReportFiles {

    private ReportFiles() {}

    static void write(
            Path out,
            String date,
            List<Result> results,
            List<FixedRate.Row> fixed,
            Jobs.Measured jobs,
            double tps,
            int duration,
            int warmup)
            throws IOException {
        String machine = machine();
        String method = String.format(
                Locale.ROOT,
                """
                - Both services run as the devstack runs them (embedded PostgreSQL 18 and AMQP broker on the same \
                machine), each with `%s`, core-app with its `bench` profile. Rate limits are raised out of the way.
                - Each run: a %d s warm-up (discarded), then %d s measured. wrk keeps a fixed number of connections \
                busy (a closed model): a connection sends its next request when the last one is answered, so a \
                slow answer delays the requests behind it and these percentiles **understate queueing** \
                (coordinated omission). Read those p99 and p99.9 as a lower bound, and the wrk table as the \
                throughput each service reaches.
                - **Fixed rate (open model)**, for latency that does not hide queueing: the bench's own generator \
                (Vert.x's HTTP client on one event loop, HdrHistogram) sends request i at start + i / rate whatever \
                the earlier answers do, and counts each latency from that due time (wrk2's correction), over up to \
                %,d connections; a request due while all are busy waits, and the wait counts. Each read runs at 70 %% \
                of the throughput wrk measured on that service, and b again at 10 × (overload). "no answer" counts \
                refused or broken connections and timeouts (%d s). ok/s is the answers over the schedule's length: \
                when the p50 grows to seconds, answers kept coming after the schedule ended, and the service or the \
                generator (which shares the cores) could not keep up at that rate.
                - Ids are drawn uniformly from the %,d bench users for every request (Lua, per wrk thread). \
                Before each user-by-id scenario every profile is asked once of each service: hot-path answers \
                profiles from its cache (by design: account events drop entries), core-app reads PostgreSQL each \
                time, as the idiomatic JPA version does.
                - requests/s counts successful answers only (2xx/3xx); any error is in the errors column.
                - At 1 000 connections that are always busy, the mean latency is connections / throughput \
                (Little's law): p99 < 10 ms there would need over 100 000 requests/s. The fixed-rate run of a \
                (up to 1 000 connections) is the latency at a load the service sustains.
                - Load shedding: each service serves a few requests at once (hot-path 16 per processor, core-app \
                its 20 database connections), lets up to 128 more wait up to 100 ms, and answers the rest 503 \
                with Retry-After (`TANDEM_MAX_IN_FLIGHT`, \
                `TANDEM_MAX_WAITING`, `TANDEM_MAX_WAIT`). wrk does not wait for Retry-After: a shed request is \
                sent again at once, so where a run keeps more requests open than that (e, 1 000 connections) \
                the turned-away ones are in the errors column.
                - d. background jobs: %.0f jobs/s of %d texts each (sentiment) for %d s after a 5 s warm-up, started \
                at a fixed rate by virtual threads (JDK HTTP client), each job then read after %d ms and at \
                doubling intervals up to %d ms until done (so "done" is late by at most that interval); both \
                times count from the job's due time.
                - c. uploads: 4 connections each sending the same 10 MB body again and again, 5 s warm-up and 10 s \
                measured (every upload is kept on disk until the run ends); the sink is a JDK HTTP server in the \
                bench's own JVM that reads and drops the body.
                - CPU is the service process's user + system time from /proc over the measured run, per 1 000 \
                requests; peak RSS is the process's VmHWM at the end of its run.
                - The load generator is not pinned: on 2 cores, pinning it to one would leave the service, \
                PostgreSQL and the broker one core. wrk uses one thread (two for 1 000 connections).
                - pgbench: `pgbench -S -M prepared -c 16 -j 2` for %d s on a scale-10 database in the same PostgreSQL.
                """,
                JAVA_OPTS,
                warmup,
                duration,
                FixedRate.CONNECTIONS,
                FixedRate.TIMEOUT.toSeconds(),
                BenchData.USERS,
                Jobs.RATE,
                Jobs.TEXTS,
                duration,
                Jobs.POLL_MILLIS,
                Jobs.MAX_POLL_MILLIS,
                duration);
        Result hotA = find(results, "user-by-id", "hot-path-service");
        Result coreA = find(results, "user-by-id", "core-app");
        Result hotB = find(results, "user-posts-comments", "hot-path-service");
        Result coreB = find(results, "user-posts-comments", "core-app");
        Result hotE = find(results, "user-by-id-1000", "hot-path-service");
        Result hotC = find(results, "upload-10mb", "hot-path-service");
        Result sink = find(results, "upload-10mb", "raw loopback sink");
        List<Report.Target> targets = List.of(
                new Report.Target(
                        "hot-path user by id ≥ 0.33 × pgbench TPS",
                        String.format(Locale.ROOT, "%.2f ×", hotA.wrk().throughput() / tps),
                        Optional.of(hotA.wrk().throughput() >= 0.33 * tps)),
                new Report.Target(
                        "user by id at 1 000 connections: p99 < 10 ms, zero errors (hot-path)",
                        String.format(
                                Locale.ROOT,
                                "p99 %s, %,d errors",
                                Report.ms(hotE.wrk().p99Micros()),
                                hotE.wrk().errors()),
                        Optional.of(
                                hotE.wrk().p99Micros() < 10_000 && hotE.wrk().errors() == 0)),
                new Report.Target(
                        "hot-path user + posts + comments ≥ 0.15 × pgbench TPS",
                        String.format(Locale.ROOT, "%.2f ×", hotB.wrk().throughput() / tps),
                        Optional.of(hotB.wrk().throughput() >= 0.15 * tps)),
                new Report.Target(
                        "hot-path ≥ 2 × core-app, user by id",
                        String.format(
                                Locale.ROOT,
                                "%.2f ×",
                                hotA.wrk().throughput() / coreA.wrk().throughput()),
                        Optional.of(hotA.wrk().throughput() >= 2 * coreA.wrk().throughput())),
                new Report.Target(
                        "hot-path ≥ 2 × core-app, user + posts + comments",
                        String.format(
                                Locale.ROOT,
                                "%.2f ×",
                                hotB.wrk().throughput() / coreB.wrk().throughput()),
                        Optional.of(hotB.wrk().throughput() >= 2 * coreB.wrk().throughput())),
                new Report.Target(
                        "10 MB upload within 1.5 × of a raw loopback sink (time per upload)",
                        String.format(
                                Locale.ROOT,
                                "%.2f × (%.0f vs %.0f MB/s)",
                                sink.wrk().throughput() / hotC.wrk().throughput(),
                                hotC.wrk().throughput() * Uploads.UPLOAD_BYTES / 1e6,
                                sink.wrk().throughput() * Uploads.UPLOAD_BYTES / 1e6),
                        Optional.of(sink.wrk().throughput() <= 1.5 * hotC.wrk().throughput())),
                overload(fixed));
        String markdown = Report.markdown(
                date, machine, method, results, Report.fixedRateTable(fixed) + Report.jobsTable(jobs), tps, targets);
        Files.writeString(out.resolve("report.md"), markdown);
        Files.writeString(out.resolve("report.html"), Report.html(date, markdown, results, tps));
    }

    /**
     * Overload at 10 × the sustainable rate, on both services: met when every request got an answer
     * (none timed out or broke) and the ones turned away were turned away fast (p99 under 100 ms).
     */
    static Report.Target overload(List<FixedRate.Row> fixed) {
        List<FixedRate.Row> overloads =
                fixed.stream().filter(r -> r.kind().startsWith("overload")).toList();
        StringBuilder measured = new StringBuilder();
        boolean met = !overloads.isEmpty();
        for (FixedRate.Row r : overloads) {
            OpenLoad.Outcome o = r.outcome();
            boolean shedFast = o.shed().getTotalCount() > 0 && o.shed().getValueAtPercentile(99) < 100_000;
            met &= o.failed() == 0 && shedFast;
            measured.append(measured.isEmpty() ? "" : "; ")
                    .append(String.format(
                            Locale.ROOT,
                            "%s: %,.0f offered/s, %,.0f ok/s (p99 %s), %,d shed (p99 %s), %,d no answer",
                            r.service(),
                            r.offered(),
                            o.okPerSecond(),
                            Report.ms(o.ok().getValueAtPercentile(99)),
                            o.shed().getTotalCount(),
                            o.shed().getTotalCount() == 0
                                    ? "—"
                                    : Report.ms(o.shed().getValueAtPercentile(99)),
                            o.failed()));
        }
        return new Report.Target(
                "overload at 10 × the sustainable rate (b): shed with 429/503 fast (p99 < 100 ms), nothing times out",
                measured.toString(),
                Optional.of(met));
    }

    static Result find(List<Result> results, String scenario, String service) {

        return results.stream()
                .filter(r -> r.scenario().equals(scenario) && r.service().equals(service))
                .findFirst()
                .orElseThrow();
    }

    static String machine() throws IOException {
        String cpu = Files.readAllLines(Path.of("/proc/cpuinfo")).stream()
                .filter(l -> l.startsWith("model name"))
                .findFirst()
                .map(l -> l.substring(l.indexOf(':') + 2))
                .orElse("unknown CPU");
        long memory = Files.readAllLines(Path.of("/proc/meminfo")).stream()
                .filter(l -> l.startsWith("MemTotal"))
                .map(l -> Long.parseLong(l.replaceAll("\\D", "")) / 1024 / 1024)
                .findFirst()
                .orElse(0L);
        String wrk = "";
        try {
            wrk = run(List.of("wrk", "-v"), Map.of())
                    .output()
                    .lines()
                    .findFirst()
                    .orElse("");
        } catch (IOException | InterruptedException e) {
            wrk = "wrk (version unknown)";
        }
        return String.format(
                Locale.ROOT,
                "- %s, %d cores, %d GB memory%n- %s %s, JDK %s (%s)%n- %s%n",
                cpu,
                Runtime.getRuntime().availableProcessors(),
                memory,
                System.getProperty("os.name"),
                System.getProperty("os.version"),
                System.getProperty("java.version"),
                System.getProperty("java.vm.name"),
                wrk);
    }
}
