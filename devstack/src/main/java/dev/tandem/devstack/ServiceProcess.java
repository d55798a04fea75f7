package dev.tandem.devstack;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * One service run as a child JVM: its output goes to the console (prefixed with its name) and to
 * its log file, its pid to a pid file (so a crashed devstack's orphans can be found), and it
 * counts as started once its readiness endpoint answers 200.
 */
final class ServiceProcess {

    private static final int TAIL_LINES = 40;

    private final String name;
    private final Process process;
    private final Path pidFile;
    private final Deque<String> tail = new ArrayDeque<>();

    private ServiceProcess(String name, Process process, Path pidFile) {
        this.name = name;
        this.process = process;
        this.pidFile = pidFile;
    }

    static ServiceProcess start(
            String name, List<String> command, Map<String, String> environment, Path runDirectory, boolean echo) {
        Path logFile = runDirectory.resolve("logs").resolve(name + ".log");
        Path pidFile = runDirectory.resolve("run").resolve(name + ".pid");
        try {
            Files.createDirectories(logFile.getParent());
            Files.createDirectories(pidFile.getParent());
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
            builder.environment().putAll(environment);
            Process process = builder.start();
            Files.writeString(pidFile, Long.toString(process.pid()));
            ServiceProcess service = new ServiceProcess(name, process, pidFile);
            Thread.ofPlatform()
                    .daemon()
                    .name(name + "-output")
                    .start(() -> service.pump(logFile, echo ? System.out : null));
            return service;
        } catch (IOException e) {
            throw new DevStackException("could not start " + name + ": " + e.getMessage(), e);
        }
    }

    String name() {
        return name;
    }

    long pid() {
        return process.pid();
    }

    Process process() {
        return process;
    }

    /**
     * Waits until {@code readinessUrl} answers 200; fails fast, with the log's tail, if the process
     * dies, and quietly if {@code cancelled} says the stack is being stopped.
     */
    void awaitReady(URI readinessUrl, Duration timeout, BooleanSupplier cancelled) {
        HttpRequest request = HttpRequest.newBuilder(readinessUrl)
                .timeout(Duration.ofSeconds(5))
                .build();
        Instant deadline = Instant.now().plus(timeout);
        try (HttpClient http =
                HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build()) {
            while (Instant.now().isBefore(deadline)) {
                if (cancelled.getAsBoolean()) {
                    throw new DevStackException("stopped while starting");
                }
                if (!process.isAlive()) {
                    throw new DevStackException(name + " exited with code " + process.exitValue()
                            + " while starting. Last lines:\n" + tail());
                }
                if (answersOk(http, request)) {
                    return;
                }
                sleep(Duration.ofMillis(250));
            }
        }
        throw new DevStackException(name + " was not ready within " + timeout.toSeconds() + " s (" + readinessUrl
                + "). Last lines:\n" + tail());
    }

    synchronized String tail() {
        return String.join("\n", tail);
    }

    /** Asks the service to shut down gracefully (SIGTERM), then forces it after {@code grace}. */
    void stop(Duration grace) {
        if (process.isAlive()) {
            process.destroy();
            try {
                if (!process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
                    process.descendants().forEach(ProcessHandle::destroyForcibly);
                    process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                process.destroyForcibly();
            }
        }
        try {
            Files.deleteIfExists(pidFile);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static boolean answersOk(HttpClient http, HttpRequest request) {
        try {
            return http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        } catch (IOException e) {
            return false; // not listening yet
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DevStackException("interrupted while waiting for the services");
        }
    }

    private void pump(Path logFile, PrintStream console) {
        String prefix = String.format("%-9s| ", name.length() > 9 ? name.substring(0, 9) : name);
        try (BufferedReader in =
                        new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
                Writer log = Files.newBufferedWriter(logFile, StandardCharsets.UTF_8)) {
            String line;
            while ((line = in.readLine()) != null) {
                log.write(line);
                log.write('\n');
                log.flush();
                remember(line);
                if (console != null) {
                    console.println(prefix + line);
                }
            }
        } catch (IOException e) {
            // the process went away; its exit is reported by whoever waits for it
        }
    }

    private synchronized void remember(String line) {
        if (tail.size() == TAIL_LINES) {
            tail.removeFirst();
        }
        tail.addLast(line);
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
