package dev.tandem.devstack;

import java.io.File;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Stops devstack's servers if devstack itself is killed without a chance to stop them (kill -9, a
 * closed terminal, a supervisor's SIGKILL). For each server, a tiny detached shell polls devstack's
 * pid and signals the server once devstack is gone. PostgreSQL needs this most: it starts its own
 * session, so even a kill of devstack's whole process group misses it. On a clean shutdown devstack
 * stops the watchers first.
 */
final class Reaper implements AutoCloseable {

    private static final boolean POSIX = !System.getProperty("os.name", "").startsWith("Windows");
    private static final boolean HAS_SETSID =
            new File("/usr/bin/setsid").canExecute() || new File("/bin/setsid").canExecute();

    private final List<Process> watchers = new ArrayList<>();

    /** Sends {@code signal} (e.g. INT, TERM) to {@code pid} once this process has exited. */
    void watch(long pid, String signal) {
        if (!POSIX) {
            return;
        }
        long self = ProcessHandle.current().pid();
        String script = "while kill -0 " + self + " 2>/dev/null; do sleep 1; done; kill -" + signal + " " + pid
                + " 2>/dev/null";
        List<String> command = new ArrayList<>();
        if (HAS_SETSID) {
            command.add("setsid"); // out of devstack's process group, so a group kill spares it
        }
        command.addAll(List.of("sh", "-c", script));
        try {
            watchers.add(new ProcessBuilder(command)
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .redirectError(ProcessBuilder.Redirect.DISCARD)
                    .start());
        } catch (IOException e) {
            System.err.println("devstack: cannot watch pid " + pid + " (" + e.getMessage()
                    + "); if devstack is killed, stop it yourself");
        }
    }

    @Override
    public void close() {
        watchers.forEach(watcher -> {
            watcher.toHandle().descendants().forEach(ProcessHandle::destroy);
            watcher.destroy();
        });
        watchers.clear();
    }
}
