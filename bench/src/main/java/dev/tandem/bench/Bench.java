package dev.tandem.bench;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

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
        Process stack = stackRunning ? null : startStack(root, raw.resolve("stack.log"), reset);
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

            double tps = pgbench(duration, raw);
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
                        prime(
                                base + (base.equals(HOT_PATH) ? scenario.hotPathPath() : scenario.corePath()),
                                data.firstUser(),
                                data.lastUser());
                    }
                }
                // A fresh token for each run (they live 15 minutes); both services accept core-app's tokens.
                String hotToken = scenario.signedIn() ? accessToken("content:read") : "";
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
                String coreToken = scenario.signedIn() ? accessToken("content:read") : "";
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
            results.addAll(uploads(root, hotPid, warmup, raw));
            write(out, date, results, tps, duration, warmup);
            say("report: %s", out.resolve("report.md"));
        } finally {
            if (stack != null) {
                stopStack(stack);
            }
        }
    }

    private static Result measure(
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
        Run run = run(measured, Map.of());
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
            profile(scenario, service, pid, measured, raw);
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

    /**
     * Where a service's time goes on a scenario: another 10 s run (not one of the measured ones) under
     * Java Flight Recorder, summed up by {@code jfr view hot-methods} into {@code raw/profile-*.txt}.
     */
    private static void profile(Scenario scenario, String service, long pid, List<String> wrk, Path raw)
            throws IOException, InterruptedException {
        Path bin =
                Path.of(ProcessHandle.current().info().command().orElse("java")).getParent();
        // Outside the results: a recording holds the service's environment (its database password).
        Path recording = Files.createTempFile("bench-" + scenario.id() + "-", ".jfr");
        String jcmd = bin == null ? "jcmd" : bin.resolve("jcmd").toString();
        String jfr = bin == null ? "jfr" : bin.resolve("jfr").toString();
        try {
            say("%s on %s: profiling 10 s (JFR)", scenario.title(), service);
            run(
                    List.of(
                            jcmd,
                            Long.toString(pid),
                            "JFR.start",
                            "name=bench",
                            "settings=profile",
                            "filename=" + recording),
                    Map.of());
            List<String> command = new ArrayList<>(wrk);
            command.set(3, "-d10s");
            run(command, Map.of());
            run(List.of(jcmd, Long.toString(pid), "JFR.stop", "name=bench"), Map.of());
            String hot = run(List.of(jfr, "view", "--width", "160", "hot-methods", recording.toString()), Map.of())
                    .output();
            String allocations = run(
                            List.of(jfr, "view", "--width", "160", "allocation-by-class", recording.toString()),
                            Map.of())
                    .output();
            Files.writeString(
                    raw.resolve("profile-" + scenario.id() + "-" + service + ".txt"), hot + "\n" + allocations);
        } finally {
            Files.deleteIfExists(recording);
        }
    }

    static final int UPLOAD_BYTES = 10 * 1024 * 1024;
    /** Upload runs are short: every request leaves 10 MB on disk until the run ends. */
    static final int UPLOAD_SECONDS = 10;

    /**
     * c. a 10 MB upload to hot-path's {@code POST /api/v1/files} (stored, hashed, recorded), beside
     * the same bytes over loopback into a raw sink that only reads and drops them: the physical
     * reference. The uploaded files and their rows are removed afterwards.
     */
    private static List<Result> uploads(Path root, long hotPid, int warmup, Path raw) throws Exception {
        String post = root.resolve("bench/scripts/post.lua").toString();
        String size = Integer.toString(UPLOAD_BYTES);
        Scenario upload =
                new Scenario("upload-10mb", "c. 10 MB upload", "/api/v1/files?name=bench.bin", "/sink", 4, 1, true);
        int uploadWarmup = Math.min(warmup, 5);
        List<Result> results = new ArrayList<>();
        HttpServer sink = sink();
        try {
            String base = "http://127.0.0.1:" + sink.getAddress().getPort();
            results.add(measure(
                    upload,
                    "raw loopback sink",
                    base,
                    post,
                    List.of(upload.corePath(), size, ""),
                    "",
                    ProcessHandle.current().pid(),
                    UPLOAD_SECONDS,
                    uploadWarmup,
                    raw));
        } finally {
            sink.stop(0);
        }
        String token = accessToken("files:write");
        try {
            results.add(measure(
                    upload,
                    "hot-path-service",
                    HOT_PATH,
                    post,
                    List.of(upload.hotPathPath(), size, token),
                    token,
                    hotPid,
                    UPLOAD_SECONDS,
                    uploadWarmup,
                    raw));
        } finally {
            removeUploads(root);
        }
        return results;
    }

    /** A loopback HTTP server that reads each request's body, drops it and answers 201. */
    static HttpServer sink() throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/", exchange -> {
            try (InputStream body = exchange.getRequestBody()) {
                body.transferTo(OutputStream.nullOutputStream());
            }
            exchange.sendResponseHeaders(201, -1);
            exchange.close();
        });
        server.start();
        return server;
    }

    private static void removeUploads(Path root) throws Exception {
        try (Connection db = DriverManager.getConnection(DB_URL, DB_USER, DB_PASSWORD);
                Statement s = db.createStatement()) {
            s.execute(
                    "delete from attachments where owner_id = (select id from users where email = 'demo@tandem.dev')");
        }
        Path files = root.resolve(".devstack-bench/data/files"); // the devstack's data folder (TANDEM_FILES_DIR)
        if (Files.isDirectory(files)) {
            try (var paths = Files.walk(files)) {
                for (Path path :
                        paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                    if (!path.equals(files)) {
                        Files.deleteIfExists(path);
                    }
                }
            }
        }
    }

    /** GETs {@code template} (with {@code %d}) for every id in [first, last], 32 at a time. */
    private static void prime(String template, long first, long last) throws InterruptedException {
        try (HttpClient http = HttpClient.newBuilder()
                        .version(HttpClient.Version.HTTP_1_1)
                        .build();
                var workers = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor()) {
            java.util.concurrent.Semaphore slots = new java.util.concurrent.Semaphore(32);
            for (long id = first; id <= last; id++) {
                slots.acquire();
                URI uri = URI.create(String.format(Locale.ROOT, template, id));
                workers.submit(() -> {
                    try {
                        http.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.discarding());
                    } catch (IOException | InterruptedException e) {
                        // a miss only leaves that profile cold
                    } finally {
                        slots.release();
                    }
                });
            }
        }
    }

    /** An access token of the demo user with {@code scope}, from core-app's token endpoint (password grant). */
    private static String accessToken(String scope) throws IOException, InterruptedException {
        String form = "grant_type=password&username=demo%40tandem.dev&password=tandem-demo-2026&scope="
                + scope.replace(":", "%3A");
        try (HttpClient http = HttpClient.newHttpClient()) {
            HttpResponse<String> response = http.send(
                    HttpRequest.newBuilder(URI.create(CORE + "/api/v1/auth/token"))
                            .header("Content-Type", "application/x-www-form-urlencoded")
                            .POST(HttpRequest.BodyPublishers.ofString(form))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            Matcher token =
                    Pattern.compile("\"access_token\"\\s*:\\s*\"([^\"]+)\"").matcher(response.body());
            if (response.statusCode() != 200 || !token.find()) {
                throw new IllegalStateException("no access token (" + response.statusCode() + "): " + response.body());
            }
            return token.group(1);
        }
    }

    /** PostgreSQL's own ceiling on this machine: select-only pgbench, prepared, in its own database. */
    private static double pgbench(int duration, Path raw) throws Exception {
        // The embedded server's superuser (trusted on localhost) creates it; the application role owns it.
        try (Connection db = DriverManager.getConnection("jdbc:postgresql://localhost:5432/postgres", "postgres", "");
                Statement s = db.createStatement();
                ResultSet exists = s.executeQuery("select 1 from pg_database where datname = 'pgbench'")) {
            if (!exists.next()) {
                s.execute("create database pgbench owner " + DB_USER);
            }
        }
        Map<String, String> env = Map.of("PGPASSWORD", DB_PASSWORD);
        List<String> connect = List.of("-h", "localhost", "-p", "5432", "-U", DB_USER);
        List<String> init = new ArrayList<>(List.of("pgbench", "-i", "-s", "10", "-q"));
        init.addAll(connect);
        init.add("pgbench");
        say("pgbench: initialising (scale 10)");
        Run initialised = run(init, env);
        if (initialised.exitCode() != 0) {
            throw new IllegalStateException("pgbench -i failed:\n" + initialised.output());
        }
        List<String> select = new ArrayList<>(
                List.of("pgbench", "-S", "-M", "prepared", "-c", "16", "-j", "2", "-T", Integer.toString(duration)));
        select.addAll(connect);
        select.add("pgbench");
        say("pgbench -S -M prepared: measuring %d s", duration);
        Run run = run(select, env);
        Files.writeString(raw.resolve("pgbench.txt"), String.join(" ", select) + "\n\n" + run.output());
        return tps(run.output());
    }

    static double tps(String pgbenchOutput) {
        // pgbench 14+: "(without initial connection time)"; 13 and older: "(excluding connections establishing)".
        Matcher tps = Pattern.compile(
                        "tps = ([0-9.]+) \\((?:without initial connection time|excluding connections establishing)\\)")
                .matcher(pgbenchOutput);
        if (!tps.find()) {
            throw new IllegalArgumentException("no tps in pgbench's output:\n" + pgbenchOutput);
        }
        return Double.parseDouble(tps.group(1));
    }

    private static void write(Path out, String date, List<Result> results, double tps, int duration, int warmup)
            throws IOException {
        String machine = machine();
        String method = String.format(Locale.ROOT, """
                - Both services run as the devstack runs them (embedded PostgreSQL 18 and AMQP broker on the same \
                machine), each with `%s`, core-app with its `bench` profile. Rate limits are raised out of the way.
                - Each run: a %d s warm-up (discarded), then %d s measured. wrk keeps a fixed number of connections \
                busy (a closed model): a connection sends its next request when the last one is answered, so a \
                slow answer delays the requests behind it and these percentiles **understate queueing** \
                (coordinated omission). Read p99 and p99.9 as a lower bound; a fixed-rate (open-model) run is \
                still to come.
                - Ids are drawn uniformly from the %,d bench users for every request (Lua, per wrk thread). \
                Before each user-by-id scenario every profile is asked once of each service: hot-path answers \
                profiles from its cache (by design: account events drop entries), core-app reads PostgreSQL each \
                time, as the idiomatic JPA version does.
                - requests/s counts successful answers only (2xx/3xx); any error is in the errors column.
                - At 1 000 connections that are always busy, the mean latency is connections / throughput \
                (Little's law): p99 < 10 ms there would need over 100 000 requests/s. That target needs a \
                fixed-rate run, which is still to come.
                - c. uploads: 4 connections each sending the same 10 MB body again and again, 5 s warm-up and 10 s \
                measured (every upload is kept on disk until the run ends); the sink is a JDK HTTP server in the \
                bench's own JVM that reads and drops the body.
                - CPU is the service process's user + system time from /proc over the measured run, per 1 000 \
                requests; peak RSS is the process's VmHWM at the end of its run.
                - The load generator is not pinned: on 2 cores, pinning it to one would leave the service, \
                PostgreSQL and the broker one core. wrk uses one thread (two for 1 000 connections).
                - pgbench: `pgbench -S -M prepared -c 16 -j 2` for %d s on a scale-10 database in the same PostgreSQL.
                """, JAVA_OPTS, warmup, duration, BenchData.USERS, duration);
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
                                hotC.wrk().throughput() * UPLOAD_BYTES / 1e6,
                                sink.wrk().throughput() * UPLOAD_BYTES / 1e6),
                        Optional.of(sink.wrk().throughput() <= 1.5 * hotC.wrk().throughput())),
                new Report.Target("overload at 10 × the sustainable rate shed with 429/503", "—", Optional.empty()));
        String markdown = Report.markdown(date, machine, method, results, tps, targets);
        Files.writeString(out.resolve("report.md"), markdown);
        Files.writeString(out.resolve("report.html"), Report.html(date, markdown, results, tps));
    }

    private static Result find(List<Result> results, String scenario, String service) {
        return results.stream()
                .filter(r -> r.scenario().equals(scenario) && r.service().equals(service))
                .findFirst()
                .orElseThrow();
    }

    private static String machine() throws IOException {
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

    // ---- the stack

    private static Process startStack(Path root, Path log, boolean reset) throws Exception {
        say("starting the stack (./tandem dev, data in .devstack-bench/%s)", reset ? ", emptied first" : "");
        List<String> command =
                new ArrayList<>(List.of("./tandem", "dev", "--no-build", "--data-dir", ".devstack-bench"));
        if (reset) {
            command.add("--reset");
        }
        ProcessBuilder builder = new ProcessBuilder(command)
                .directory(root.toFile())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        Map<String, String> env = builder.environment();
        env.put("TANDEM_CORE_EXTRA_PROFILES", "bench");
        env.put("TANDEM_CORE_JAVA_OPTS", JAVA_OPTS);
        env.put("TANDEM_HOT_PATH_JAVA_OPTS", JAVA_OPTS);
        for (String limit : List.of("CAPACITY", "PER_MINUTE", "ANONYMOUS_CAPACITY", "ANONYMOUS_PER_MINUTE")) {
            env.put("TANDEM_RATE_LIMIT_" + limit, "1000000000");
        }
        Process stack = builder.start();
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
        while (System.nanoTime() < deadline) {
            if (!stack.isAlive()) {
                throw new IllegalStateException("the stack stopped while starting; see " + log);
            }
            if (Files.exists(log) && Files.readString(log).contains("Tandem is running") && ready()) {
                return stack;
            }
            Thread.sleep(1000);
        }
        stopStack(stack);
        throw new IllegalStateException("the stack was not ready within 5 minutes; see " + log);
    }

    /** The bench endpoints answer (the bench profile is on). */
    private static boolean ready() {
        try (HttpClient http = HttpClient.newHttpClient()) {
            HttpResponse<Void> core = http.send(
                    HttpRequest.newBuilder(URI.create(CORE + "/api/bench/users/1"))
                            .timeout(Duration.ofSeconds(5))
                            .build(),
                    HttpResponse.BodyHandlers.discarding());
            return core.statusCode() == 200; // user 1, the demo admin: only with the bench profile
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }

    private static void stopStack(Process stack) throws IOException, InterruptedException {
        say("stopping the stack");
        new ProcessBuilder("kill", "-INT", Long.toString(stack.pid())).start().waitFor();
        if (!stack.waitFor(60, TimeUnit.SECONDS)) {
            stack.destroyForcibly();
        }
    }

    // ---- helpers

    record Run(int exitCode, String output) {}

    static Run run(List<String> command, Map<String, String> env) throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().putAll(env);
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        return new Run(process.waitFor(), output);
    }

    private static int option(String[] args, String name, int fallback) {
        for (int i = 0; i < args.length - 1; i++) {
            if (args[i].equals(name)) {
                return Integer.parseInt(args[i + 1]);
            }
        }
        return fallback;
    }

    private static void say(String format, Object... values) {
        System.out.printf(Locale.ROOT, "bench: " + format + "%n", values);
    }
}
