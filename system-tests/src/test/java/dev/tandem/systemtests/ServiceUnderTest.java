package dev.tandem.systemtests;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

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
        Instant deadline = Instant.now().plus(Duration.ofMinutes(2));
        try (HttpClient http =
                HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build()) {
            while (Instant.now().isBefore(deadline)) {
                if (!process.isAlive()) {
                    throw new AssertionError(name + " exited with " + process.exitValue() + "; see " + log);
                }
                try {
                    HttpResponse<Void> response = http.send(
                            HttpRequest.newBuilder(readiness)
                                    .timeout(Duration.ofSeconds(2))
                                    .build(),
                            HttpResponse.BodyHandlers.discarding());
                    if (response.statusCode() == 200) {
                        return;
                    }
                } catch (IOException e) {
                    // not listening yet
                }
                Thread.sleep(200);
            }
        }
        throw new AssertionError(name + " not ready within 2 minutes; see " + log);
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
