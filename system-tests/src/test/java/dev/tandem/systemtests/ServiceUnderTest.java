package dev.tandem.systemtests;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.awaitility.Awaitility;

/**
 * One packaged service run as its own process (the jar a user deploys), which a test may kill with
 * SIGKILL ({@code kill -9}: no shutdown hook, no graceful stop) and start again.
 */
final class ServiceUnderTest implements AutoCloseable {

    private final String name;
    private final List<String> command;
    private final Map<String, String> environment;
    private final URI readiness;
    private final Path log;
    private Process process;

    ServiceUnderTest(String name, Path jar, Map<String, String> environment, URI readiness, Path logDir) {
        this.name = name;
        this.command = List.of(
                ProcessHandle.current().info().command().orElse("java"),
                "-XX:+UseSerialGC",
                "-XX:TieredStopAtLevel=1",
                "-Xmx384m",
                "-jar",
                jar.toString());
        this.environment = environment;
        this.readiness = readiness;
        this.log = logDir.resolve(name + ".log");
    }

    /** Starts the process and waits until its readiness probe answers 200. */
    void start() throws Exception {
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        builder.environment().putAll(environment);
        process = builder.start();
        try (HttpClient http =
                HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build()) {
            Awaitility.await()
                    .alias(name + " ready (see " + log + ")")
                    .atMost(Duration.ofMinutes(3))
                    .pollInterval(Duration.ofMillis(200))
                    .until(() -> ready(http));
        }
    }

    /** Whether the readiness probe answers 200; fails at once when the process has exited. */
    private boolean ready(HttpClient http) throws InterruptedException {
        if (!process.isAlive()) {
            throw new AssertionError(name + " exited with " + process.exitValue() + "; see " + log);
        }
        try {
            return http.send(
                                    HttpRequest.newBuilder(readiness)
                                            .timeout(Duration.ofSeconds(2))
                                            .build(),
                                    HttpResponse.BodyHandlers.discarding())
                            .statusCode()
                    == 200;
        } catch (IOException e) {
            return false; // not listening yet
        }
    }

    /** SIGKILL: the process ends at once, whatever it was doing (mid-transaction, mid-publish). */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor();
    }

    @Override
    public void close() throws InterruptedException {
        if (process != null && process.isAlive()) {
            process.destroy();
            if (!process.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)) {
                kill();
            }
        }
    }

    @Override
    public String toString() {
        return name;
    }
}
