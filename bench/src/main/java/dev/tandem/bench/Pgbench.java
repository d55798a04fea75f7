package dev.tandem.bench;

import static dev.tandem.bench.Bench.DB_PASSWORD;
import static dev.tandem.bench.Bench.DB_USER;
import static dev.tandem.bench.Commands.run;
import static dev.tandem.bench.Commands.say;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** PostgreSQL's own ceiling on this machine, measured by pgbench in the same server. */
final class Pgbench {

    private Pgbench() {}

    /** PostgreSQL's own ceiling on this machine: select-only pgbench, prepared, in its own database. */
    static double measure(int duration, Path raw) throws Exception {
        // The embedded server's superuser (trusted on localhost) creates it; the application role owns it.
        try (Connection db = DriverManager.getConnection("jdbc:postgresql://localhost:5432/postgres", "postgres", "");
                Statement s = db.createStatement();
                ResultSet exists = s.executeQuery("select 1 from pg_database where datname = 'pgbench'")) {
            if (!exists.next()) {
                s.execute("create database pgbench owner " + DB_USER);
            }
        }
        Map<String, String> env = Map.of("PGPASSWORD", DB_PASSWORD);
        List<String> connect = List.of("-h", "localhost", "-p", "5432", "-U", DB_USER);
        List<String> init = new ArrayList<>(List.of("pgbench", "-i", "-s", "10", "-q"));
        init.addAll(connect);
        init.add("pgbench");
        say("pgbench: initialising (scale 10)");
        Commands.Run initialised = run(init, env);
        if (initialised.exitCode() != 0) {
            throw new IllegalStateException("pgbench -i failed:\n" + initialised.output());
        }
        List<String> select = new ArrayList<>(
                List.of("pgbench", "-S", "-M", "prepared", "-c", "16", "-j", "2", "-T", Integer.toString(duration)));
        select.addAll(connect);
        select.add("pgbench");
        say("pgbench -S -M prepared: measuring %d s", duration);
        Commands.Run run = run(select, env);
        Files.writeString(raw.resolve("pgbench.txt"), String.join(" ", select) + "\n\n" + run.output());
        return tps(run.output());
    }

    static double tps(String pgbenchOutput) {
        // pgbench 14+: "(without initial connection time)"; 13 and older: "(excluding connections establishing)".
        Matcher tps = Pattern.compile(
                        "tps = ([0-9.]+) \\((?:without initial connection time|excluding connections establishing)\\)")
                .matcher(pgbenchOutput);
        if (!tps.find()) {
            throw new IllegalArgumentException("no tps in pgbench's output:\n" + pgbenchOutput);
        }
        return Double.parseDouble(tps.group(1));
    }
}
