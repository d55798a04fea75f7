package dev.tandem.bench;

import static dev.tandem.bench.Commands.run;
import static dev.tandem.bench.Commands.say;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * bench/run: starts the embedded stack with core-app's bench profile, loads the data volume, then
 * measures each scenario on both services with wrk, and PostgreSQL itself with pgbench, and writes
 * {@code bench/results/<date>/}: {@code report.md}, {@code report.html} and the raw outputs.
 *
 * <p>Options: {@code --duration <s>} (each measured run, default 20), {@code --warmup <s>} (default
 * 10), {@code --reset} (start from an empty database, so the data is loaded again),
 * {@code --stack-running} (use a stack already started with the bench profile).
 */
public final class Bench {

    static final String DB_URL = "jdbc:postgresql://localhost:5432/tandem";
    static final String DB_USER = "tandem";
    static final String DB_PASSWORD = "tandem";
    static final String HOT_PATH = "http://localhost:8081";
    static final String CORE = "http://localhost:8080";
    /** The same JVM for both services: C2 on, the serial collector (2 cores), 1 GB of heap. */
    static final String JAVA_OPTS = "-XX:+UseSerialGC -Xmx1g";

    /** One read, asked of both services. */
    /** One read, asked of both services; {@code signedIn}: with a bearer token holding {@code content:read}. */
    record Scenario(
            String id,
            String title,
            String hotPathPath,
            String corePath,
            int connections,
            int threads,
            boolean signedIn) {}

    private Bench() {}

    public static void main(String[] args) throws Exception {
        int duration = option(args, "--duration", 20);
        int warmup = option(args, "--warmup", 10);
        boolean stackRunning = List.of(args).contains("--stack-running");
        boolean reset = List.of(args).contains("--reset");
        Path root = Path.of("").toAbsolutePath();
        String date = LocalDate.now().toString();
        Path out = root.resolve("bench/results").resolve(date);
        Path raw = out.resolve("raw");
        Files.createDirectories(raw);
        for (String tool : List.of("wrk", "pgbench")) {
            if (run(List.of("sh", "-c", "command -v " + tool), Map.of()).exitCode() != 0) {
                throw new IllegalStateException(
                        tool + " is missing: bench/run installs it (Debian: wrk, postgresql-client)");
            }
        }
        Process stack = stackRunning ? null : Stack.start(root, raw.resolve("stack.log"), reset);
        if (stack != null) {
            // Ctrl-C or a kill stops the stack too (finally blocks do not run on a signal).
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                if (stack.isAlive()) {
                    stack.toHandle().destroy();
                }
            }));
        }
        try {
            say(
                    "loading the data (COPY): %,d users, %,d posts, %,d comments",
                    BenchData.USERS, BenchData.POSTS, BenchData.COMMENTS);
            BenchData.Loaded data = BenchData.load(
                    DB_URL, DB_USER, DB_PASSWORD, root.resolve(".devstack-bench/data/bench-restore.sql"));
            say(data.reused() ? "data already loaded (checked in %.1f s)" : "data loaded in %.1f s", data.seconds());
            Files.writeString(raw.resolve("data.txt"), data.toString() + "\n");

            double tps = Pgbench.measure(duration, raw);
            say("pgbench -S -M prepared: %,.0f TPS", tps);

            long hotPid = ProcessStats.find("quarkus-run.jar")
                    .orElseThrow(() -> new IllegalStateException("hot-path-service is not running"));
            long corePid = ProcessStats.find("core-app.jar")
                    .orElseThrow(() -> new IllegalStateException("core-app is not running"));
            String first = Long.toString(data.firstUser());
            String last = Long.toString(data.lastUser());
            List<Scenario> scenarios = List.of(
                    new Scenario(
                            "user-by-id", "a. user by id", "/api/v1/users/%d", "/api/bench/users/%d", 64, 1, false),
                    new Scenario(
                            "user-posts-comments",
                            "b. user + posts + comments",
                            "/api/v1/users/%d/posts?include=comments",
                            "/api/bench/users/%d/posts",
                            64,
                            1,
                            true),
                    new Scenario(
                            "user-by-id-1000",
                            "e. user by id, 1 000 connections",
                            "/api/v1/users/%d",
                            "/api/bench/users/%d",
                            1000,
                            2,
                            false));
            List<Result> results = new ArrayList<>();
            String get = root.resolve("bench/scripts/get.lua").toString();
            for (Scenario scenario : scenarios) {
                if (!scenario.signedIn()) {
                    // Every profile asked once of each service right before: hot-path's profile cache (100 000
                    // entries, 10 minutes) and PostgreSQL's buffers start the run in the state they stay in.
                    for (String base : List.of(HOT_PATH, CORE)) {
                        say("priming %s: every user once", base);
                        Requests.prime(
                                base + (base.equals(HOT_PATH) ? scenario.hotPathPath() : scenario.corePath()),
                                data.firstUser(),
                                data.lastUser());
                    }
                }
                // A fresh token for each run (they live 15 minutes); both services accept core-app's tokens.
                String hotToken = scenario.signedIn() ? Requests.accessToken("content:read") : "";
                results.add(measure(
                        scenario,
                        "hot-path-service",
                        HOT_PATH,
                        get,
                        List.of(scenario.hotPathPath(), first, last, hotToken),
                        hotToken,
                        hotPid,
                        duration,
                        warmup,
                        raw));
                String coreToken = scenario.signedIn() ? Requests.accessToken("content:read") : "";
                results.add(measure(
                        scenario,
                        "core-app",
                        CORE,
                        get,
                        List.of(scenario.corePath(), first, last, coreToken),
                        coreToken,
                        corePid,
                        duration,
                        warmup,
                        raw));
            }
            // Fixed rate (open model): each read at 70 % of what wrk found, then b at 10 × (overload).
            List<FixedRate.Row> fixed = new ArrayList<>();
            for (Scenario scenario : scenarios.subList(0, 2)) {
                for (String service : List.of("hot-path-service", "core-app")) {
                    fixed.add(fixedRate(scenario, "70 %", 0.7, service, results, data, hotPid, corePid, duration, raw));
                }
            }
            for (String service : List.of("hot-path-service", "core-app")) {
                fixed.add(fixedRate(
                        scenarios.get(1), "overload 10 ×", 10, service, results, data, hotPid, corePid, duration, raw));
            }
            results.addAll(Uploads.measure(root, hotPid, warmup, raw));
            Jobs.Measured jobs = Jobs.measure(hotPid, duration, warmup, raw);
            ReportFiles.write(out, date, results, fixed, jobs, tps, duration, warmup);
            say("report: %s", out.resolve("report.md"));
        } finally {
            if (stack != null) {
                Stack.stop(stack);
            }
        }
    }

    /** A fixed-rate run of {@code scenario} on one service at {@code factor} × the throughput wrk measured there. */
    private static FixedRate.Row fixedRate(
            Scenario scenario,
            String kind,
            double factor,
            String service,
            List<Result> results,
            BenchData.Loaded data,
            long hotPid,
            long corePid,
            int duration,
            Path raw)
            throws Exception {
        boolean hot = service.equals("hot-path-service");
        double measured =
                ReportFiles.find(results, scenario.id(), service).wrk().throughput();
        String token = scenario.signedIn() ? Requests.accessToken("content:read") : "";
        return FixedRate.run(
                scenario,
                kind,
                service,
                hot ? HOT_PATH : CORE,
                hot ? scenario.hotPathPath() : scenario.corePath(),
                data.firstUser(),
                data.lastUser(),
                token,
                hot ? hotPid : corePid,
                Math.max(1, Math.round(measured * factor)),
                duration,
                raw);
    }

    static Result measure(
            Scenario scenario,
            String service,
            String base,
            String script,
            List<String> scriptArgs,
            String token,
            long pid,
            int duration,
            int warmup,
            Path raw)
            throws IOException, InterruptedException {
        List<String> wrk = new ArrayList<>(List.of(
                "wrk",
                "-t" + scenario.threads(),
                "-c" + scenario.connections(),
                "-d" + warmup + "s",
                "--timeout",
                "10s",
                "-s",
                script,
                base,
                "--"));
        wrk.addAll(scriptArgs);
        say("%s on %s: warm-up %d s", scenario.title(), service, warmup);
        run(wrk, Map.of());
        List<String> measured = new ArrayList<>(wrk);
        measured.set(3, "-d" + duration + "s");
        ProcessStats.resetPeakRss(pid);
        double cpuBefore = ProcessStats.cpuSeconds(pid);
        Map<Long, Double> postgresBefore = ProcessStats.cpuByProcess("postgres");
        double wrkBefore = ProcessStats.ownChildrenCpuSeconds();
        say(
                "%s on %s: measuring %d s with %d connections",
                scenario.title(), service, duration, scenario.connections());
        Commands.Run run = run(measured, Map.of());
        double cpu = ProcessStats.cpuSeconds(pid) - cpuBefore;
        double postgres = ProcessStats.cpuBetween(postgresBefore, ProcessStats.cpuByProcess("postgres"));
        double wrkCpu = ProcessStats.ownChildrenCpuSeconds() - wrkBefore;
        double peak = ProcessStats.peakRssMegabytes(pid);
        String file = scenario.id() + "-" + service.replace(' ', '-') + ".txt";
        String command = String.join(" ", measured);
        Files.writeString(
                raw.resolve(file),
                (token.isEmpty() ? command : command.replace(token, "<token>")) + "\n\n" + run.output());
        WrkResult result = WrkResult.parse(run.output());
        say(
                "  %,.0f requests/s, p99 %s, %,d errors",
                result.throughput(), Report.ms(result.p99Micros()), result.errors());
        // Profiles of the two widest gaps to their targets: b on both services, and hot-path's upload.
        if (scenario.id().equals("user-posts-comments")
                || (scenario.id().equals("upload-10mb") && service.equals("hot-path-service"))) {
            Profiler.profile(scenario, service, pid, measured, raw);
        }
        long answered = Math.max(1, result.requests());
        return new Result(
                scenario.id(),
                scenario.title(),
                service,
                scenario.connections(),
                result,
                cpu * 1000 / answered,
                postgres * 1000 / answered,
                wrkCpu * 1000 / answered,
                peak,
                "raw/" + file);
    }

    private static int option(String[] args, String name, int fallback) {
        for (int i = 0; i < args.length - 1; i++) {
            if (args[i].equals(name)) {
                return Integer.parseInt(args[i + 1]);
            }
        }
        return fallback;
    }
}
