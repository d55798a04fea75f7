package dev.tandem.core.content;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A stand-in for hot-path-service's API in core-app's own tests: it records what core-app sends
 * and answers what the test tells it to. The real API is exercised end to end by system-tests'
 * browser journey; this only pins core-app's side of the contract (token, idempotency key, body,
 * and how refusals reach the form).
 */
public final class HotPathStandIn {

    /** A request as received. */
    public record Received(String method, String path, Map<String, List<String>> headers, String body) {}

    private static final List<Received> received = new CopyOnWriteArrayList<>();
    private static volatile int status = 201;
    private static volatile String answer = "{\"id\":1}";
    private static HttpServer server;

    private HotPathStandIn() {}

    /** Starts it once per JVM; returns its base URL. */
    public static synchronized String url() {
        if (server == null) {
            try {
                server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
            server.createContext("/", exchange -> {
                String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
                received.add(new Received(
                        exchange.getRequestMethod(),
                        exchange.getRequestURI().getPath(),
                        Map.copyOf(exchange.getRequestHeaders()),
                        body));
                byte[] bytes = answer.getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders()
                        .set("Content-Type", status < 300 ? "application/json" : "application/problem+json");
                exchange.sendResponseHeaders(status, bytes.length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(bytes);
                }
            });
            server.start();
        }
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    public static void answer(int newStatus, String newAnswer) {
        received.clear();
        status = newStatus;
        answer = newAnswer;
    }

    public static List<Received> received() {
        return List.copyOf(received);
    }
}
