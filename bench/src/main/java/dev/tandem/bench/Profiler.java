package dev.tandem.bench;

import static dev.tandem.bench.Commands.run;
import static dev.tandem.bench.Commands.say;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Where a service's time goes: a run under Java Flight Recorder, summed up by {@code jfr view}. */
final class Profiler {

    private Profiler() {}

    /**
     * Where a service's time goes on a scenario: another 10 s run (not one of the measured ones) under
     * Java Flight Recorder, summed up by {@code jfr view hot-methods} into {@code raw/profile-*.txt}.
     */
    static void profile(Bench.Scenario scenario, String service, long pid, List<String> wrk, Path raw)
            throws IOException, InterruptedException {
        Path bin =
                Path.of(ProcessHandle.current().info().command().orElse("java")).getParent();
        // Outside the results: a recording holds the service's environment (its database password).
        Path recording = Files.createTempFile("bench-" + scenario.id() + "-", ".jfr");
        String jcmd = bin == null ? "jcmd" : bin.resolve("jcmd").toString();
        String jfr = bin == null ? "jfr" : bin.resolve("jfr").toString();
        try {
            say("%s on %s: profiling 10 s (JFR)", scenario.title(), service);
            run(
                    List.of(
                            jcmd,
                            Long.toString(pid),
                            "JFR.start",
                            "name=bench",
                            "settings=profile",
                            "filename=" + recording),
                    Map.of());
            List<String> command = new ArrayList<>(wrk);
            command.set(3, "-d10s");
            run(command, Map.of());
            run(List.of(jcmd, Long.toString(pid), "JFR.stop", "name=bench"), Map.of());
            String hot = run(List.of(jfr, "view", "--width", "160", "hot-methods", recording.toString()), Map.of())
                    .output();
            String allocations = run(
                            List.of(jfr, "view", "--width", "160", "allocation-by-class", recording.toString()),
                            Map.of())
                    .output();
            Files.writeString(
                    raw.resolve("profile-" + scenario.id() + "-" + service + ".txt"), hot + "\n" + allocations);
        } finally {
            Files.deleteIfExists(recording);
        }
    }
}
