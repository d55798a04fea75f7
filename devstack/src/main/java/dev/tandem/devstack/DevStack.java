package dev.tandem.devstack;

import dev.tandem.schema.Migrations;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayDeque;
import java.util.Comparator;
import java.util.Deque;
import java.util.List;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * {@code ./tandem dev}: the whole system on this machine. Starts, in order, PostgreSQL, the
 * migrations and demo data, the AMQP broker, the mail catcher and both services, waits until both
 * report ready, and stops everything in reverse order on Ctrl-C (also midway through starting) or
 * when a service dies.
 */
public final class DevStack implements AutoCloseable {

    private final DevStackOptions options;
    private final Object lock = new Object();
    private final Deque<AutoCloseable> running = new ArrayDeque<>(); // guarded by lock
    private boolean closing; // guarded by lock
    private Services services;
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
        } catch (RuntimeException e) {
            if (!stack.isClosing()) {
                System.err.println("\ndevstack: " + describe(e));
                System.exit(1);
            }
            return; // interrupted by Ctrl-C: the shutdown hook stops what was started
        }
        System.exit(stack.awaitServiceExit());
    }

    void start() {
        startedAt = System.nanoTime();
        register(lockHome());
        Reaper reaper = register(new Reaper());
        stopOrphans();
        if (options.reset()) {
            deleteData();
        }
        checkPorts();

        PostgresServer postgres = register(step(
                "PostgreSQL on port " + options.pgPort(),
                () -> PostgresServer.start(
                        options.dataDirectory().resolve("postgres"),
                        options.pgPort(),
                        true,
                        options.home().resolve("logs").resolve("postgres.log"))));
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

        String amqpUri = options.externalAmqpUri()
                .orElseGet(() -> register(step(
                                "AMQP broker on port " + options.amqpPort(),
                                () -> AmqpBroker.start(
                                        options.dataDirectory().resolve("broker"), options.amqpPort(), true)))
                        .uri());
        MailCatcher mail = register(step(
                "mail catcher on ports " + options.smtpPort() + "/" + options.imapPort() + "/" + options.mailWebPort(),
                () -> MailCatcher.start(options.smtpPort(), options.imapPort(), options.mailWebPort())));

        if (options.services()) {
            services =
                    register(Services.start(options, Services.environment(options, postgres, amqpUri, mail), reaper));
            System.out.println("devstack: started core-app and hot-path-service, waiting until both are ready");
            services.awaitReady(options, this::isClosing);
        }
        System.out.println(Banner.of(options, postgres, amqpUri, mail, seconds(startedAt)));
    }

    /** Blocks until a service exits on its own (an error: returns 1) or the stack is being stopped (0). */
    int awaitServiceExit() {
        if (services == null) {
            try {
                Thread.currentThread().join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return 0;
        }
        ServiceProcess exited = services.anyExit().join();
        if (isClosing()) {
            return 0;
        }
        System.err.println("\ndevstack: " + exited.name() + " exited with code "
                + exited.process().exitValue() + "; stopping the stack. Last lines:\n" + exited.tail());
        return 1;
    }

    @Override
    public void close() {
        List<AutoCloseable> toStop;
        synchronized (lock) {
            if (closing) {
                return;
            }
            closing = true;
            toStop = List.copyOf(running);
            running.clear();
        }
        System.out.println("\ndevstack: stopping");
        for (AutoCloseable resource : toStop) {
            try {
                resource.close();
            } catch (Exception e) {
                System.err.println("devstack: while stopping: " + e.getMessage());
            }
        }
        System.out.println("devstack: stopped");
    }

    boolean isClosing() {
        synchronized (lock) {
            return closing;
        }
    }

    /** Remembers a started resource for shutdown; if shutdown has begun meanwhile, stops it at once. */
    private <T extends AutoCloseable> T register(T resource) {
        synchronized (lock) {
            if (!closing) {
                running.push(resource);
                return resource;
            }
        }
        try {
            resource.close();
        } catch (Exception e) {
            System.err.println("devstack: while stopping: " + e.getMessage());
        }
        throw new DevStackException("stopped while starting");
    }

    private AutoCloseable lockHome() {
        try {
            Files.createDirectories(options.home());
            FileChannel channel = FileChannel.open(
                    options.home().resolve("devstack.lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            FileLock lock = channel.tryLock();
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
            return channel; // closing the channel releases the lock
        } catch (IOException e) {
            throw new DevStackException("cannot use " + options.home() + ": " + e.getMessage(), e);
        }
    }

    private void stopOrphans() {
        Path run = options.home().resolve("run");
        OrphanedProcesses.stopPostgres(options.dataDirectory().resolve("postgres"));
        OrphanedProcesses.stopService(run.resolve(Services.CORE_APP + ".pid"), "core-app.jar");
        OrphanedProcesses.stopService(run.resolve(Services.HOT_PATH + ".pid"), "quarkus-run.jar");
    }

    private void deleteData() {
        System.out.println("devstack: --reset: deleting " + options.dataDirectory());
        for (Path dir : List.of(options.dataDirectory(), options.home().resolve("logs"))) {
            if (Files.exists(dir)) {
                try (Stream<Path> paths = Files.walk(dir)) {
                    paths.sorted(Comparator.reverseOrder()).forEach(DevStack::delete);
                } catch (IOException | UncheckedIOException e) {
                    throw new DevStackException("cannot delete " + dir + ": " + e.getMessage(), e);
                }
            }
        }
    }

    private void checkPorts() {
        Ports.requireFree(options.pgPort(), "PostgreSQL", "--pg-port");
        if (options.externalAmqpUri().isEmpty()) {
            Ports.requireFree(options.amqpPort(), "The AMQP broker", "--amqp-port");
        }
        Ports.requireFree(options.smtpPort(), "The mail catcher (SMTP)", "--smtp-port");
        Ports.requireFree(options.imapPort(), "The mail catcher (IMAP)", "--imap-port");
        Ports.requireFree(options.mailWebPort(), "The mail catcher's web inbox", "--mail-port");
        if (options.services()) {
            Ports.requireFree(options.corePort(), "core-app", "--core-port");
            Ports.requireFree(options.hotPathPort(), "hot-path-service", "--hot-path-port");
        }
    }

    private <T> T step(String what, Supplier<T> action) {
        if (isClosing()) {
            throw new DevStackException("stopped while starting");
        }
        long started = System.nanoTime();
        T result = action.get();
        System.out.println("devstack: " + what + " ready (" + seconds(started) + ")");
        return result;
    }

    static String seconds(long startedNanos) {
        return String.format("%.1f s", (System.nanoTime() - startedNanos) / 1e9);
    }

    /** One line for the user: our own messages as they are, anything else with its kind. */
    private static String describe(RuntimeException e) {
        if (e instanceof DevStackException) {
            return e.getMessage();
        }
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return e.getMessage() + (root != e ? " (" + root + ")" : "");
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
