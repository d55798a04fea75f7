package dev.tandem.systemtests;

import dev.tandem.devstack.Ports;
import dev.tandem.devstack.testing.TestServers;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The system as a user runs it: devstack's launch command (what {@code ./tandem dev} executes after
 * building), on free ports and a throw-away data folder.
 */
final class RunningStack implements AutoCloseable {

    private static final Duration STARTUP = Duration.ofMinutes(4);

    final int pgPort = Ports.free();
    final int amqpPort = Ports.free();
    final int corePort = Ports.free();
    final int hotPathPort = Ports.free();
    final int mailPort = Ports.free();
    final Path dataDir;
    private final Process process;
    private final List<String> output = new ArrayList<>();
    private final CompletableFuture<Void> ready = new CompletableFuture<>();
    private final CompletableFuture<Void> stopped = new CompletableFuture<>();

    RunningStack(Path projectRoot) throws IOException {
        dataDir = Files.createTempDirectory("tandem-system-test");
        List<String> command = List.of(
                ProcessHandle.current().info().command().orElse("java"),
                "-cp",
                projectRoot.resolve("devstack/target/devstack.jar") + ":"
                        + projectRoot.resolve("devstack/target/lib/*"),
                "dev.tandem.devstack.DevStack",
                "--data-dir",
                dataDir.toString(),
                "--quiet",
                "--pg-port",
                Integer.toString(pgPort),
                "--amqp-port",
                Integer.toString(amqpPort),
                "--smtp-port",
                Integer.toString(Ports.free()),
                "--imap-port",
                Integer.toString(Ports.free()),
                "--mail-port",
                Integer.toString(mailPort),
                "--core-port",
                Integer.toString(corePort),
                "--hot-path-port",
                Integer.toString(hotPathPort));
        ProcessBuilder builder =
                new ProcessBuilder(command).directory(projectRoot.toFile()).redirectErrorStream(true);
        // On a shared RabbitMQ (CI), a virtual host of this stack's own: no leftovers either way.
        String external = System.getenv("TANDEM_AMQP_URI");
        if (external != null && !external.isBlank()) {
            TestServers.isolatedVirtualHost(external)
                    .ifPresent(uri -> builder.environment().put("TANDEM_AMQP_URI", uri));
        }
        // The billing journey ends a trial and waits for the renewal job: every second here.
        builder.environment().put("TANDEM_BILLING_RENEWAL_INTERVAL", "1s");
        process = builder.start();
        Thread.ofPlatform().daemon().name("devstack-output").start(this::read);
    }

    /** Blocks until the stack prints that it runs; fails with its output if it exits or hangs. */
    void awaitReady() throws Exception {
        try {
            CompletableFuture.anyOf(ready, process.onExit()).get(STARTUP.toSeconds(), TimeUnit.SECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
            throw new AssertionError("devstack not ready within " + STARTUP + ":\n" + output());
        }
        if (!ready.isDone()) {
            throw new AssertionError("devstack exited with " + process.exitValue() + ":\n" + output());
        }
    }

    String coreUrl() {
        return "http://localhost:" + corePort;
    }

    String hotPathUrl() {
        return "http://localhost:" + hotPathPort;
    }

    /** The mail catcher's web inbox ({@code /api/messages} lists every mail as JSON). */
    String mailUrl() {
        return "http://localhost:" + mailPort;
    }

    Connection database() throws SQLException {
        return DriverManager.getConnection("jdbc:postgresql://localhost:" + pgPort + "/tandem", "tandem", "tandem");
    }

    synchronized String output() {
        return String.join("\n", output);
    }

    /** Stops the stack as Ctrl-C does (SIGINT) and returns its exit code. */
    int stop() throws Exception {
        // kill rather than Process.destroy, which would also close our end of its output.
        new ProcessBuilder("kill", "-INT", Long.toString(process.pid()))
                .inheritIO()
                .start()
                .waitFor(10, TimeUnit.SECONDS);
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("devstack did not stop within 60 s:\n" + output());
        }
        stopped.get(10, TimeUnit.SECONDS);
        return process.exitValue();
    }

    @Override
    public void close() throws Exception {
        if (process.isAlive()) {
            stop();
        }
        keepLogs();
        try (Stream<Path> paths = Files.walk(dataDir)) {
            paths.sorted(Comparator.reverseOrder())
                    .forEach(path -> path.toFile().delete());
        }
    }

    /**
     * The services' and PostgreSQL's logs ({@code <data-dir>/logs}) outlive the throw-away data
     * folder, in {@code target/stack-logs/<data folder>/}: what to read when a test of this stack
     * failed.
     */
    private void keepLogs() throws IOException {
        Path logs = dataDir.resolve("logs");
        if (!Files.isDirectory(logs)) {
            return;
        }
        Path kept = Files.createDirectories(
                Path.of("target", "stack-logs", dataDir.getFileName().toString()));
        try (Stream<Path> files = Files.list(logs)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                Files.copy(file, kept.resolve(file.getFileName()), StandardCopyOption.REPLACE_EXISTING);
            }
        }
        Files.write(kept.resolve("devstack.log"), List.of(output()), StandardCharsets.UTF_8);
    }

    private void read() {
        try (BufferedReader in =
                new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = in.readLine()) != null) {
                synchronized (this) {
                    output.add(line);
                }
                if (line.startsWith("Tandem is running")) {
                    ready.complete(null);
                }
                if (line.equals("devstack: stopped")) {
                    stopped.complete(null);
                }
            }
        } catch (IOException e) {
            // the process ended
        } finally {
            stopped.complete(null);
        }
    }
}
