package dev.tandem.devstack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

// A child JVM read line by line: a hang ends with a thread dump, not at CI's limit.
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class PostgresServerTest {

    @TempDir
    Path dir;

    @Test
    void keepsItsDataAcrossRestarts() throws SQLException {
        int port = Ports.free();
        try (PostgresServer server = PostgresServer.start(dir, port, true, null)) {
            execute(server, "create table kept (v text); insert into kept values ('still here')");
        }
        try (PostgresServer server = PostgresServer.start(dir, port, true, null)) {
            assertThat(query(server, "select v from kept")).isEqualTo("still here");
            assertThat(query(server, "select current_user")).isEqualTo(PostgresServer.USER);
        }
    }

    @Test
    void recoversFromACrashedRunThatLeftPostgresRunning() throws Exception {
        int port = Ports.free();
        Process crashed = new ProcessBuilder(
                        ProcessHandle.current().info().command().orElseThrow(),
                        "-cp",
                        System.getProperty("java.class.path"),
                        StartPostgresAndHang.class.getName(),
                        dir.toString(),
                        Integer.toString(port))
                .redirectErrorStream(true)
                .start();
        awaitLine(crashed, "READY");
        crashed.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        long orphan = OrphanedProcesses.readPid(dir.resolve("postmaster.pid")).orElseThrow();
        assertThat(ProcessHandle.of(orphan))
                .as("postgres outlives a kill -9 of its parent")
                .isPresent();

        try (PostgresServer server = PostgresServer.start(dir, port, true, null)) {
            assertThat(query(server, "select v from crash_test")).isEqualTo("written before the crash");
        }
        assertThat(ProcessHandle.of(orphan).map(ProcessHandle::isAlive)).isNotEqualTo(java.util.Optional.of(true));
    }

    @Test
    void namesThePortWhenItIsTaken() throws Exception {
        try (var socket = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            int port = socket.getLocalPort();
            assertThatThrownBy(() -> Ports.requireFree(port, "PostgreSQL", "--pg-port"))
                    .isInstanceOf(DevStackException.class)
                    .hasMessageContaining("port " + port)
                    .hasMessageContaining("--pg-port");
        }
    }

    /** Runs in a child JVM: starts PostgreSQL, writes a row, then waits to be killed. */
    public static final class StartPostgresAndHang {
        public static void main(String[] args) throws Exception {
            PostgresServer server = PostgresServer.start(Path.of(args[0]), Integer.parseInt(args[1]), true, null);
            execute(
                    server,
                    "create table crash_test (v text); insert into crash_test values ('written before the crash')");
            System.out.println("READY");
            new CountDownLatch(1).await(); // until the test kills this JVM with -9
        }
    }

    private static void awaitLine(Process process, String expected) throws Exception {
        BufferedReader out =
                new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        String line;
        StringBuilder seen = new StringBuilder();
        while ((line = out.readLine()) != null) {
            if (line.equals(expected)) {
                return;
            }
            seen.append(line).append('\n');
        }
        throw new AssertionError("child exited before " + expected + ":\n" + seen);
    }

    static void execute(PostgresServer server, String sql) throws SQLException {
        try (Connection c = server.dataSource().getConnection()) {
            c.createStatement().execute(sql);
        }
    }

    static String query(PostgresServer server, String sql) throws SQLException {
        try (Connection c = server.dataSource().getConnection();
                ResultSet rs = c.createStatement().executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }
}
