package dev.tandem.bench;

import java.io.IOException;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Running the tools the benchmark drives (wrk, pgbench, jcmd) and telling what it does. */
final class Commands {

    private Commands() {}

    record Run(int exitCode, String output) {}

    static Run run(List<String> command, Map<String, String> env) throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().putAll(env);
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        return new Run(process.waitFor(), output);
    }

    static void say(String format, Object... values) {
        System.out.printf(Locale.ROOT, "bench: " + format + "%n", values);
    }
}
