package dev.tandem.devstack;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Clears what a crashed run left behind: a PostgreSQL server still running on the data directory,
 * service processes still holding their ports. A process is only touched when it is still alive
 * and is what its pid file says it is.
 */
final class OrphanedProcesses {

    private static final Duration GRACE = Duration.ofSeconds(20);

    private OrphanedProcesses() {}

    /** Stops a postmaster still running on {@code dataDirectory} (fast shutdown: SIGINT). */
    static void stopPostgres(Path dataDirectory) {
        readPid(dataDirectory.resolve("postmaster.pid"))
                .flatMap(ProcessHandle::of)
                .filter(ProcessHandle::isAlive)
                .filter(process -> commandContains(process, "postgres"))
                .ifPresent(postmaster -> {
                    System.out.println("devstack: stopping PostgreSQL left running by a previous run (pid "
                            + postmaster.pid() + ")");
                    signal(postmaster, "INT");
                    awaitExit(postmaster);
                });
    }

    /** Stops the process recorded in {@code pidFile} when it still runs {@code jarName}, then removes the file. */
    static void stopService(Path pidFile, String jarName) {
        readPid(pidFile)
                .flatMap(ProcessHandle::of)
                .filter(ProcessHandle::isAlive)
                .filter(process -> commandLineContains(process, jarName))
                .ifPresent(service -> {
                    System.out.println("devstack: stopping " + jarName + " left running by a previous run (pid "
                            + service.pid() + ")");
                    service.destroy();
                    awaitExit(service);
                });
        try {
            Files.deleteIfExists(pidFile);
        } catch (IOException e) {
            throw new DevStackException("cannot remove " + pidFile + ": " + e.getMessage(), e);
        }
    }

    static Optional<Long> readPid(Path pidFile) {
        try {
            if (!Files.isRegularFile(pidFile)) {
                return Optional.empty();
            }
            String firstLine = Files.readAllLines(pidFile, StandardCharsets.US_ASCII).stream()
                    .findFirst()
                    .orElse("")
                    .strip();
            return Optional.of(Long.parseLong(firstLine));
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
    }

    private static boolean commandContains(ProcessHandle process, String text) {
        return process.info().command().map(command -> command.contains(text)).orElse(false);
    }

    private static boolean commandLineContains(ProcessHandle process, String text) {
        return process.info().commandLine().map(line -> line.contains(text)).orElse(false);
    }

    private static void signal(ProcessHandle process, String signal) {
        try {
            new ProcessBuilder("kill", "-" + signal, Long.toString(process.pid()))
                    .inheritIO()
                    .start()
                    .waitFor(10, TimeUnit.SECONDS);
        } catch (IOException e) {
            process.destroy();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void awaitExit(ProcessHandle process) {
        try {
            process.onExit().get(GRACE.toSeconds(), TimeUnit.SECONDS);
        } catch (TimeoutException | ExecutionException e) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
            process.onExit().join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
