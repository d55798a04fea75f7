package dev.tandem.devstack;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;

/** core-app and hot-path-service as child JVMs of the same JDK, started together and stopped together. */
final class Services implements AutoCloseable {

    static final String CORE_APP = "core-app";
    static final String HOT_PATH = "hot-path";
    static final String CORE_JAR = "core-app/target/core-app.jar";
    static final String HOT_PATH_JAR = "hot-path-service/target/quarkus-app/quarkus-run.jar";

    /** core-app starts fastest with the C1 compiler alone. */
    private static final String CORE_JAVA_OPTS = "-XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Xmx512m";

    /**
     * hot-path keeps the full JIT: verifying an RS256 token needs C2's BigInteger intrinsics
     * (measured: 2,560 vs 10,400 token-authenticated requests/s at 100 connections), and its
     * start-up barely changes (about 4 s either way).
     */
    private static final String HOT_PATH_JAVA_OPTS = "-XX:+UseSerialGC -Xmx512m";

    private static final Duration STOP_GRACE = Duration.ofSeconds(25);

    private final List<ServiceProcess> processes = new ArrayList<>();

    /** Starts both services; their output goes to the console (unless quiet) and to the logs folder. */
    static Services start(DevStackOptions options, Map<String, String> environment, Reaper reaper) {
        Path coreJar = options.projectRoot().resolve(CORE_JAR);
        Path hotPathJar = options.projectRoot().resolve(HOT_PATH_JAR);
        for (Path jar : List.of(coreJar, hotPathJar)) {
            if (!Files.isRegularFile(jar)) {
                throw new DevStackException(jar + " is missing: build it with ./tandem build (./tandem dev does).");
            }
        }
        Services services = new Services();
        services.launch(
                CORE_APP,
                "TANDEM_CORE_JAVA_OPTS",
                CORE_JAVA_OPTS,
                coreJar,
                options.corePort(),
                environment,
                options,
                reaper);
        services.launch(
                HOT_PATH,
                "TANDEM_HOT_PATH_JAVA_OPTS",
                HOT_PATH_JAVA_OPTS,
                hotPathJar,
                options.hotPathPort(),
                environment,
                options,
                reaper);
        return services;
    }

    /** Waits until both answer their readiness probes, hot-path first (it starts faster). */
    void awaitReady(DevStackOptions options, BooleanSupplier cancelled) {
        long started = System.nanoTime();
        processes
                .get(1)
                .awaitReady(
                        URI.create("http://localhost:" + options.hotPathPort() + "/q/health/ready"),
                        options.readyTimeout(),
                        cancelled);
        System.out.println("devstack: hot-path-service ready after " + DevStack.seconds(started));
        processes
                .get(0)
                .awaitReady(
                        URI.create("http://localhost:" + options.corePort() + "/actuator/health/readiness"),
                        options.readyTimeout(),
                        cancelled);
        System.out.println("devstack: core-app ready after " + DevStack.seconds(started));
    }

    /** Completes when either service exits. */
    CompletableFuture<ServiceProcess> anyExit() {
        CompletableFuture<ServiceProcess> first = new CompletableFuture<>();
        processes.forEach(p -> p.process().onExit().thenRun(() -> first.complete(p)));
        return first;
    }

    /** The environment both services share: where the database and broker are, and the dev profile. */
    static Map<String, String> environment(
            DevStackOptions options, PostgresServer postgres, String amqpUri, MailCatcher mail) {
        Map<String, String> env = new HashMap<>(mail.environment());
        env.put("TANDEM_DB_URL", postgres.url().uri());
        env.put("TANDEM_DB_USER", PostgresServer.USER);
        env.put("TANDEM_DB_PASSWORD", PostgresServer.PASSWORD);
        env.put("TANDEM_AMQP_URI", amqpUri);
        env.put("TANDEM_PUBLIC_URL", "http://localhost:" + options.corePort());
        env.put("TANDEM_HOT_PATH_URL", "http://localhost:" + options.hotPathPort());
        env.put("TANDEM_CORE_URL", "http://localhost:" + options.corePort());
        env.put(
                "TANDEM_FILES_DIR",
                options.dataDirectory().resolve("files").toAbsolutePath().toString());
        // bench/run adds core-app's bench profile (its JSON reads) through TANDEM_CORE_EXTRA_PROFILES.
        String extra =
                System.getenv().getOrDefault("TANDEM_CORE_EXTRA_PROFILES", "").strip();
        env.put("SPRING_PROFILES_ACTIVE", extra.isEmpty() ? "dev" : "dev," + extra);
        env.put("QUARKUS_PROFILE", "dev");
        return env;
    }

    @Override
    public void close() {
        processes.parallelStream().forEach(process -> process.stop(STOP_GRACE));
    }

    private void launch(
            String name,
            String javaOptionsVariable,
            String defaultJavaOptions,
            Path jar,
            int port,
            Map<String, String> environment,
            DevStackOptions options,
            Reaper reaper) {
        Map<String, String> env = new HashMap<>(environment);
        env.put("TANDEM_HTTP_PORT", Integer.toString(port));
        ServiceProcess process = ServiceProcess.start(
                name,
                javaCommand(javaOptionsVariable, defaultJavaOptions, jar),
                env,
                options.home(),
                options.echoLogs());
        processes.add(process);
        reaper.watch(process.pid(), "TERM");
    }

    private static List<String> javaCommand(String javaOptionsVariable, String defaultJavaOptions, Path jar) {
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElse("java"));
        String javaOptions = System.getenv().getOrDefault(javaOptionsVariable, defaultJavaOptions);
        Stream.of(javaOptions.trim().split("\\s+")).filter(o -> !o.isEmpty()).forEach(command::add);
        command.add("-jar");
        command.add(jar.toString());
        return command;
    }

    List<ServiceProcess> processes() {
        return processes;
    }
}
