package dev.tandem.devstack;

import dev.tandem.schema.Migrations;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;

/**
 * {@code ./tandem dev}: the whole system on this machine. Starts, in order, PostgreSQL, the
 * migrations and demo data, the AMQP broker, the mail catcher and both services, waits until both
 * report ready, and stops everything in reverse order on Ctrl-C or when a service dies.
 */
public final class DevStack implements AutoCloseable {

    private static final String CORE_APP = "core-app";
    private static final String HOT_PATH = "hot-path";
    private static final String CORE_JAR = "core-app/target/core-app.jar";
    private static final String HOT_PATH_JAR = "hot-path-service/target/quarkus-app/quarkus-run.jar";
    private static final String DEFAULT_JAVA_OPTS = "-XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Xmx512m";

    private final DevStackOptions options;
    private final Deque<AutoCloseable> running = new ArrayDeque<>();
    private final List<ServiceProcess> services = new ArrayList<>();
    private final Reaper reaper = new Reaper();
    private final AtomicBoolean closing = new AtomicBoolean();
    private FileLock lock;
    private long startedAt;

    DevStack(DevStackOptions options) {
        this.options = options;
    }

    public static void main(String[] args) {
        DevStackOptions options;
        try {
            options = DevStackOptions.parse(args, System.getenv(), projectRoot());
        } catch (IllegalArgumentException e) {
            System.err.println("devstack: " + e.getMessage() + "\n\n" + DevStackOptions.USAGE);
            System.exit(2);
            return;
        }
        if (options.help()) {
            System.out.println(DevStackOptions.USAGE);
            return;
        }
        DevStack stack = new DevStack(options);
        Runtime.getRuntime().addShutdownHook(new Thread(stack::close, "devstack-shutdown"));
        try {
            stack.start();
        } catch (DevStackException e) {
            System.err.println("\ndevstack: " + e.getMessage());
            System.exit(1);
        }
        int exitCode = stack.awaitServiceExit();
        System.exit(exitCode);
    }

    void start() {
        startedAt = System.nanoTime();
        lockHome();
        stopOrphans();
        if (options.reset()) {
            deleteData();
        }
        checkPorts();

        PostgresServer postgres = step(
                "PostgreSQL on port " + options.pgPort(),
                () -> PostgresServer.start(
                        options.dataDirectory().resolve("postgres"),
                        options.pgPort(),
                        true,
                        options.home().resolve("logs").resolve("postgres.log")));
        running.push(postgres);
        OrphanedProcesses.readPid(options.dataDirectory().resolve("postgres/postmaster.pid"))
                .ifPresent(pid -> reaper.watch(pid, "INT"));
        String version = step("migrations", () -> Migrations.migrate(Migrations.flyway(postgres.dataSource())));
        System.out.println("devstack: schema at version " + version);
        if (options.demoData()) {
            step("demo data", () -> {
                DemoData.load(postgres.dataSource());
                return null;
            });
        }

        String amqpUri = options.externalAmqpUri().orElseGet(() -> {
            AmqpBroker broker = step(
                    "AMQP broker on port " + options.amqpPort(),
                    () -> AmqpBroker.start(options.dataDirectory().resolve("broker"), options.amqpPort(), true));
            running.push(broker);
            return broker.uri();
        });
        MailCatcher mail = step(
                "mail catcher on ports " + options.smtpPort() + "/" + options.imapPort(),
                () -> MailCatcher.start(options.smtpPort(), options.imapPort()));
        running.push(mail);

        if (options.services()) {
            startServices(serviceEnvironment(postgres, amqpUri));
        }
        printBanner(postgres, amqpUri);
    }

    /** Blocks until a service exits on its own (an error: returns 1) or the stack is being stopped (0). */
    int awaitServiceExit() {
        if (services.isEmpty()) {
            try {
                Thread.currentThread().join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return 0;
        }
        CompletableFuture<?>[] exits =
                services.stream().map(service -> service.process().onExit()).toArray(CompletableFuture[]::new);
        CompletableFuture.anyOf(exits).join();
        if (closing.get()) {
            return 0;
        }
        services.stream()
                .filter(s -> !s.process().isAlive())
                .forEach(s -> System.err.println("\ndevstack: "
                        + s.name() + " exited with code " + s.process().exitValue()
                        + "; stopping the stack. Last lines:\n"
                        + s.tail()));
        return 1;
    }

    @Override
    public void close() {
        if (!closing.compareAndSet(false, true)) {
            return;
        }
        System.out.println("\ndevstack: stopping");
        reaper.close();
        services.parallelStream().forEach(service -> service.stop(Duration.ofSeconds(20)));
        while (!running.isEmpty()) {
            try {
                running.pop().close();
            } catch (Exception e) {
                System.err.println("devstack: while stopping: " + e.getMessage());
            }
        }
        if (lock != null) {
            try {
                lock.release();
                lock.channel().close();
            } catch (IOException e) {
                System.err.println("devstack: while releasing the lock: " + e.getMessage());
            }
        }
        System.out.println("devstack: stopped");
    }

    private void startServices(Map<String, String> environment) {
        Path coreJar = options.projectRoot().resolve(CORE_JAR);
        Path hotPathJar = options.projectRoot().resolve(HOT_PATH_JAR);
        for (Path jar : List.of(coreJar, hotPathJar)) {
            if (!Files.isRegularFile(jar)) {
                throw new DevStackException(jar + " is missing: build it with ./tandem build (./tandem dev does).");
            }
        }
        long started = System.nanoTime();
        ServiceProcess core = ServiceProcess.start(
                CORE_APP,
                javaCommand("TANDEM_CORE_JAVA_OPTS", coreJar),
                with(environment, Map.of("TANDEM_HTTP_PORT", Integer.toString(options.corePort()))),
                options.home(),
                options.echoLogs());
        services.add(core);
        reaper.watch(core.pid(), "TERM");
        ServiceProcess hotPath = ServiceProcess.start(
                HOT_PATH,
                javaCommand("TANDEM_HOT_PATH_JAVA_OPTS", hotPathJar),
                with(environment, Map.of("TANDEM_HTTP_PORT", Integer.toString(options.hotPathPort()))),
                options.home(),
                options.echoLogs());
        services.add(hotPath);
        reaper.watch(hotPath.pid(), "TERM");
        System.out.println("devstack: started core-app (pid " + core.pid() + ") and hot-path-service (pid "
                + hotPath.pid() + "), waiting until both are ready");
        hotPath.awaitReady(
                URI.create("http://localhost:" + options.hotPathPort() + "/q/health/ready"), options.readyTimeout());
        System.out.println("devstack: hot-path-service ready after " + seconds(started));
        core.awaitReady(
                URI.create("http://localhost:" + options.corePort() + "/actuator/health/readiness"),
                options.readyTimeout());
        System.out.println("devstack: core-app ready after " + seconds(started));
    }

    private Map<String, String> serviceEnvironment(PostgresServer postgres, String amqpUri) {
        String coreUrl = "http://localhost:" + options.corePort();
        Map<String, String> env = new HashMap<>();
        env.put("TANDEM_DB_URL", postgres.url().uri());
        env.put("TANDEM_DB_USER", PostgresServer.USER);
        env.put("TANDEM_DB_PASSWORD", PostgresServer.PASSWORD);
        env.put("TANDEM_AMQP_URI", amqpUri);
        env.put("TANDEM_PUBLIC_URL", coreUrl);
        env.put("TANDEM_HOT_PATH_URL", "http://localhost:" + options.hotPathPort());
        env.put("SPRING_PROFILES_ACTIVE", "dev");
        env.put("QUARKUS_PROFILE", "dev");
        return env;
    }

    private List<String> javaCommand(String optionsVariable, Path jar) {
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElse("java"));
        String javaOptions = System.getenv().getOrDefault(optionsVariable, DEFAULT_JAVA_OPTS);
        Stream.of(javaOptions.trim().split("\\s+")).filter(o -> !o.isEmpty()).forEach(command::add);
        command.add("-jar");
        command.add(jar.toString());
        return command;
    }

    private void lockHome() {
        try {
            Files.createDirectories(options.home());
            Path lockFile = options.home().resolve("devstack.lock");
            FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            lock = channel.tryLock();
            if (lock == null) {
                channel.close();
                String owner = OrphanedProcesses.readPid(options.home().resolve("devstack.pid"))
                        .map(pid -> " (pid " + pid + ")")
                        .orElse("");
                throw new DevStackException("another devstack is already running on " + options.home() + owner
                        + ". Stop it first (Ctrl-C in its terminal).");
            }
            Files.writeString(
                    options.home().resolve("devstack.pid"),
                    Long.toString(ProcessHandle.current().pid()));
        } catch (IOException e) {
            throw new DevStackException("cannot use " + options.home() + ": " + e.getMessage(), e);
        }
    }

    private void deleteData() {
        System.out.println("devstack: --reset: deleting " + options.dataDirectory());
        for (Path dir : List.of(options.dataDirectory(), options.home().resolve("logs"))) {
            if (Files.exists(dir)) {
                try (Stream<Path> paths = Files.walk(dir)) {
                    paths.sorted((a, b) -> b.getNameCount() - a.getNameCount()).forEach(DevStack::delete);
                } catch (IOException e) {
                    throw new DevStackException("cannot delete " + dir + ": " + e.getMessage(), e);
                }
            }
        }
    }

    private void stopOrphans() {
        Path run = options.home().resolve("run");
        OrphanedProcesses.stopPostgres(options.dataDirectory().resolve("postgres"));
        OrphanedProcesses.stopService(run.resolve(CORE_APP + ".pid"), "core-app.jar");
        OrphanedProcesses.stopService(run.resolve(HOT_PATH + ".pid"), "quarkus-run.jar");
    }

    private void checkPorts() {
        Ports.requireFree(options.pgPort(), "PostgreSQL", "--pg-port");
        if (options.externalAmqpUri().isEmpty()) {
            Ports.requireFree(options.amqpPort(), "The AMQP broker", "--amqp-port");
        }
        Ports.requireFree(options.smtpPort(), "The mail catcher (SMTP)", "--smtp-port");
        Ports.requireFree(options.imapPort(), "The mail catcher (IMAP)", "--imap-port");
        if (options.services()) {
            Ports.requireFree(options.corePort(), "core-app", "--core-port");
            Ports.requireFree(options.hotPathPort(), "hot-path-service", "--hot-path-port");
        }
    }

    private void printBanner(PostgresServer postgres, String amqpUri) {
        String core = "http://localhost:" + options.corePort();
        String hot = "http://localhost:" + options.hotPathPort();
        StringBuilder banner = new StringBuilder("\n");
        banner.append("Tandem is running (ready in ").append(seconds(startedAt)).append(")\n");
        if (options.services()) {
            banner.append(row("web UI (core-app)", core));
            banner.append(row("API (hot-path-service)", hot + "/api/v1/users/1"));
            banner.append(row("API docs (Swagger UI)", hot + "/q/swagger-ui"));
            banner.append(row("health", core + "/actuator/health   " + hot + "/q/health"));
        }
        banner.append(row(
                "PostgreSQL",
                postgres.url().uri() + "  (user " + PostgresServer.USER + ", password " + PostgresServer.PASSWORD
                        + ")"));
        banner.append(row(
                "AMQP broker",
                options.externalAmqpUri().isPresent()
                        ? redact(amqpUri) + "  (from TANDEM_AMQP_URI)"
                        : amqpUri + "  (embedded Qpid Broker-J)"));
        banner.append(row(
                "mail catcher",
                "SMTP localhost:" + options.smtpPort() + ", IMAP localhost:" + options.imapPort()
                        + " (log in as any address, any password)"));
        if (options.demoData()) {
            banner.append(row("demo user", DemoData.DEMO.email() + " / " + DemoData.DEMO.password()));
            banner.append(row("demo staff admin", DemoData.ADMIN.email() + " / " + DemoData.ADMIN.password()));
        }
        banner.append(row("data and logs", options.home() + "  (--reset starts over)"));
        banner.append("Press Ctrl-C to stop.\n");
        System.out.println(banner);
    }

    private static String row(String label, String value) {
        return String.format("  %-24s %s%n", label, value);
    }

    private static String redact(String uri) {
        return uri.replaceAll("://([^:@/]+):[^@/]*@", "://$1:***@");
    }

    private static <T> T step(String what, java.util.function.Supplier<T> action) {
        long started = System.nanoTime();
        T result = action.get();
        System.out.println("devstack: " + what + " ready (" + seconds(started) + ")");
        return result;
    }

    private static String seconds(long startedNanos) {
        return String.format("%.1f s", (System.nanoTime() - startedNanos) / 1e9);
    }

    private static Map<String, String> with(Map<String, String> base, Map<String, String> extra) {
        Map<String, String> merged = new HashMap<>(base);
        merged.putAll(extra);
        return merged;
    }

    private static void delete(Path path) {
        try {
            Files.delete(path);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The project folder: devstack runs from devstack/target/devstack.jar (or devstack/target/classes). */
    static Path projectRoot() {
        try {
            Path location = Path.of(DevStack.class
                            .getProtectionDomain()
                            .getCodeSource()
                            .getLocation()
                            .toURI())
                    .toAbsolutePath();
            Path root = location.getParent().getParent().getParent();
            if (Files.isRegularFile(root.resolve("pom.xml")) && Files.isDirectory(root.resolve("devstack"))) {
                return root;
            }
        } catch (java.net.URISyntaxException | RuntimeException e) {
            // fall through to the working directory
        }
        return Path.of("").toAbsolutePath();
    }
}
