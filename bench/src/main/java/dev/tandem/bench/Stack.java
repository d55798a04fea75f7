package dev.tandem.bench;

import static dev.tandem.bench.Bench.CORE;
import static dev.tandem.bench.Bench.JAVA_OPTS;
import static dev.tandem.bench.Commands.say;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** The embedded stack the benchmark measures: started with core-app's bench profile and the same JVM for both services, and stopped. */
final class Stack {

    private Stack() {}

    static Process start(Path root, Path log, boolean reset) throws Exception {
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
        stop(stack);
        throw new IllegalStateException("the stack was not ready within 5 minutes; see " + log);
    }

    /** The bench endpoints answer (the bench profile is on). */
    static boolean ready() {
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

    static void stop(Process stack) throws IOException, InterruptedException {
        say("stopping the stack");
        new ProcessBuilder("kill", "-INT", Long.toString(stack.pid())).start().waitFor();
        if (!stack.waitFor(60, TimeUnit.SECONDS)) {
            stack.destroyForcibly();
        }
    }
}
