package dev.tandem.devstack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;

/** Port checks, so that a clash is reported by name before a server fails obscurely. */
public final class Ports {

    private Ports() {}

    /** Fails with a message naming the server and the option that moves it when {@code port} is taken. */
    public static void requireFree(int port, String server, String option) {
        if (!isFree(port)) {
            throw new DevStackException(server + " cannot listen on port " + port
                    + ": something else already does. Stop it, or pick another port with " + option + " <port>.");
        }
    }

    public static boolean isFree(int port) {
        try (ServerSocket socket = new ServerSocket()) {
            // As servers do: connections of a previous run lingering in TIME_WAIT do not block the port.
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** A port nobody listens on right now (for tests and ephemeral servers). */
    public static int free() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
