package dev.tandem.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * A process's CPU time and peak resident memory, from Linux's {@code /proc}: {@code stat} fields 14
 * and 15 (user and system time in clock ticks) and {@code status}'s {@code VmHWM} (the high-water
 * mark of the resident set since the process started).
 */
final class ProcessStats {

    /** USER_HZ: the unit of /proc's times; 100 on every Linux architecture Tandem runs on. */
    static final double TICKS_PER_SECOND = 100;

    private ProcessStats() {}

    static double cpuSeconds(long pid) {
        try {
            return cpuSeconds(Files.readString(Path.of("/proc", Long.toString(pid), "stat")));
        } catch (IOException gone) {
            return Double.NaN;
        }
    }

    /** From a {@code /proc/<pid>/stat} line; the command name (field 2) may hold spaces, so fields count after its ")". */
    static double cpuSeconds(String stat) {
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        // fields[0] is field 3 (state): utime is field 14, stime field 15.
        return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) / TICKS_PER_SECOND;
    }

    /** The CPU time of every process named {@code comm} (PostgreSQL's server and backends: "postgres"). */
    static double cpuSecondsOfAll(String comm) {
        double total = 0;
        try (var processes = Files.list(Path.of("/proc"))) {
            for (Path process : processes
                    .filter(p -> p.getFileName().toString().matches("\\d+"))
                    .toList()) {
                try {
                    if (Files.readString(process.resolve("comm")).strip().equals(comm)) {
                        total += cpuSeconds(Files.readString(process.resolve("stat")));
                    }
                } catch (IOException gone) {
                    // it exited meanwhile
                }
            }
        } catch (IOException e) {
            return Double.NaN;
        }
        return total;
    }

    static double peakRssMegabytes(long pid) {
        try {
            return peakRssMegabytes(Files.readString(Path.of("/proc", Long.toString(pid), "status")));
        } catch (IOException gone) {
            return Double.NaN;
        }
    }

    static double peakRssMegabytes(String status) {
        return status.lines()
                .filter(line -> line.startsWith("VmHWM:"))
                .map(line -> Long.parseLong(line.replaceAll("\\D", "")) / 1024.0)
                .findFirst()
                .orElse(Double.NaN);
    }

    /** The newest running Java process whose command line contains {@code marker} (a service's jar). */
    static Optional<Long> find(String marker) {
        return ProcessHandle.allProcesses()
                .filter(p -> p.info()
                        .commandLine()
                        .map(c -> c.contains("java") && c.contains(marker))
                        .orElse(false))
                .map(ProcessHandle::pid)
                .max(Long::compare);
    }
}
