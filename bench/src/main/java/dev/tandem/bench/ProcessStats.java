package dev.tandem.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
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

    /** User + system time of the process's children it has waited for (fields 16 and 17): wrk, for the bench's own JVM. */
    static double reapedChildrenCpuSeconds(String stat) {
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return (Long.parseLong(fields[13]) + Long.parseLong(fields[14])) / TICKS_PER_SECOND;
    }

    /** The CPU time of the bench's own finished child processes (wrk runs) so far. */
    static double ownChildrenCpuSeconds() {
        try {
            return reapedChildrenCpuSeconds(Files.readString(Path.of("/proc/self/stat")));
        } catch (IOException e) {
            return Double.NaN;
        }
    }

    /**
     * Each process named {@code comm} ("postgres") with its CPU time, its own plus that of the
     * children it reaped: a backend that exits is then still counted, in the postmaster's share.
     */
    static Map<Long, Double> cpuByProcess(String comm) {
        Map<Long, Double> cpu = new HashMap<>();
        try (var processes = Files.list(Path.of("/proc"))) {
            for (Path process : processes
                    .filter(p -> p.getFileName().toString().matches("\\d+"))
                    .toList()) {
                try {
                    if (Files.readString(process.resolve("comm")).strip().equals(comm)) {
                        String stat = Files.readString(process.resolve("stat"));
                        cpu.put(
                                Long.valueOf(process.getFileName().toString()),
                                cpuSeconds(stat) + reapedChildrenCpuSeconds(stat));
                    }
                } catch (IOException gone) {
                    // it exited meanwhile
                }
            }
        } catch (IOException e) {
            return Map.of();
        }
        return cpu;
    }

    /** CPU spent between two {@link #cpuByProcess} snapshots: per process, new ones from zero, gone ones not subtracted. */
    static double cpuBetween(Map<Long, Double> before, Map<Long, Double> after) {
        double total = 0;
        for (Map.Entry<Long, Double> process : after.entrySet()) {
            total += process.getValue() - before.getOrDefault(process.getKey(), 0.0);
        }
        return total;
    }

    /** Starts the process's resident-set high-water mark again from its current size (Linux: clear_refs 5). */
    static void resetPeakRss(long pid) {
        try {
            Files.writeString(Path.of("/proc", Long.toString(pid), "clear_refs"), "5");
        } catch (IOException notAllowed) {
            // the peak then covers the process's whole life; the report says peak RSS, not per run
        }
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
