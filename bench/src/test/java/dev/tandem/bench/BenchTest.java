package dev.tandem.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The parts of the benchmark that need no running system: reading the tools' output, the data's skew, the report. */
class BenchTest {

    private static final String WRK_OUTPUT = """
            Running 20s test @ http://localhost:8081
              1 threads and 64 connections
            Requests/sec:  12345.67
            WRK_JSON {"requests":246913,"durationMicros":20000000,"bytes":1000,"connectErrors":0,"readErrors":1,\
            "writeErrors":0,"statusErrors":2,"timeouts":3,"meanMicros":5100.5,"p50Micros":4000,"p90Micros":8000,\
            "p99Micros":15000,"p999Micros":40000,"maxMicros":90000}
            """;

    @Test
    void readsWrksRunFromItsJsonLine() {
        WrkResult result = WrkResult.parse(WRK_OUTPUT);
        assertThat(result.requests()).isEqualTo(246_913);
        assertThat(result.throughput())
                .as("successful answers only")
                .isCloseTo(12_345.55, org.assertj.core.data.Offset.offset(0.01));
        assertThat(result.errors()).isEqualTo(6);
        assertThat(result.p999Micros()).isEqualTo(40_000);
        assertThatThrownBy(() -> WrkResult.parse("Running 20s test\n")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void readsPgbenchsThroughput() {
        String output = """
                latency average = 0.812 ms
                initial connection time = 10.503 ms
                tps = 19696.281940 (without initial connection time)
                """;
        assertThat(Pgbench.tps(output)).isEqualTo(19_696.281940);
    }

    @Test
    void readsCpuTimeAndPeakMemoryFromProc() {
        org.junit.jupiter.api.Assumptions.assumeTrue(
                java.nio.file.Files.isDirectory(java.nio.file.Path.of("/proc/self")), "Linux's /proc is needed");
        // A command name with spaces and parentheses, as /proc allows.
        String stat = "4242 (java (main) x) S 1 4242 4242 0 -1 4194304 100 0 0 0 1500 250 0 0 20 0 30 0 100 0 0";
        assertThat(ProcessStats.cpuSeconds(stat)).isEqualTo(17.5);
        assertThat(ProcessStats.reapedChildrenCpuSeconds(stat)).isEqualTo(0.0);
        assertThat(ProcessStats.peakRssMegabytes("Name:\tjava\nVmHWM:\t  524288 kB\nVmRSS:\t 1000 kB\n"))
                .isEqualTo(512.0);
        long self = ProcessHandle.current().pid();
        assertThat(ProcessStats.cpuByProcess("java")).isNotEmpty();
        assertThat(ProcessStats.cpuBetween(java.util.Map.of(1L, 5.0, 2L, 1.0), java.util.Map.of(2L, 3.0, 3L, 4.0)))
                .as("per process: a gone one is not subtracted, a new one counts from zero")
                .isEqualTo(6.0);
        assertThat(ProcessStats.cpuSeconds(self)).isPositive();
        assertThat(ProcessStats.peakRssMegabytes(self)).isPositive();
    }

    @Test
    void aFewAuthorsWriteMostPosts() {
        SplittableRandom random = new SplittableRandom(1);
        int n = 100_000;
        int draws = 1_000_000;
        int top = 0;
        int[] perUser = new int[n];
        for (int i = 0; i < draws; i++) {
            int user = BenchData.skewed(random, n);
            perUser[user]++;
            if (user < n / 100) {
                top++;
            }
        }
        assertThat(top / (double) draws).as("share of the top 1 %").isBetween(0.19, 0.24);
        long silent = java.util.Arrays.stream(perUser).filter(c -> c == 0).count();
        assertThat(silent).as("users who wrote nothing").isPositive();
    }

    @Test
    void theReportHasTheTableTheTargetsAndSelfContainedCharts() {
        WrkResult wrk = WrkResult.parse(WRK_OUTPUT);
        List<Result> results = List.of(
                new Result(
                        "user-by-id", "a. user by id", "hot-path-service", 64, wrk, 0.12, 0.2, 0.05, 400, "raw/a.txt"),
                new Result("user-by-id", "a. user by id", "core-app", 64, wrk, 0.3, 0.2, 0.05, 500, "raw/b.txt"));
        List<Report.Target> targets = List.of(
                new Report.Target("hot-path ≥ 2 × core-app", "1.00 ×", Optional.of(false)),
                new Report.Target("upload within 1.5 × of the sink", "—", Optional.empty()));
        String markdown = Report.markdown(
                "2026-11-26", "- a machine", "- a method", results, "\n## Fixed rate\n", 20_000, targets);
        assertThat(markdown)
                .contains(
                        "| a. user by id | hot-path-service | 64 | 12,346 | 4.00 ms | 8.00 ms | 15.00 ms | 40.00 ms | 6 | 0.12 | 0.20 | 0.05 | 400 MB |")
                .contains("20,000 TPS")
                .contains("| hot-path ≥ 2 × core-app | 1.00 × | **no** |")
                .contains("| upload within 1.5 × of the sink | — | not measured |")
                .contains("## Fixed rate");
        String html = Report.html("2026-11-26", markdown, results, 20_000);
        assertThat(html)
                .contains("<svg")
                .doesNotContain("<script")
                .doesNotContain("<link")
                .doesNotContain("src=")
                .contains("pgbench");
    }
}
