package dev.tandem.core.billing;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A local HTTP double of Stripe's API for the tests: it records each request (method, path, form
 * fields, idempotency key, the key used) and answers each route with the JSON a test gave it, in
 * the shapes of Stripe's API reference ({@code error} bodies with their HTTP status too). An
 * unknown route answers Stripe's 404 {@code resource_missing}.
 */
final class StripeDouble implements AutoCloseable {

    record Request(String method, String path, Map<String, String> form, String idempotencyKey, String auth) {}

    private final List<Request> requests = new CopyOnWriteArrayList<>();
    private final Map<String, Deque<String[]>> answers = new ConcurrentHashMap<>();
    private final HttpServer server;

    StripeDouble() {
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/", exchange -> {
            String body;
            try (InputStream in = exchange.getRequestBody()) {
                body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
            String route =
                    exchange.getRequestMethod() + " " + exchange.getRequestURI().getPath();
            requests.add(new Request(
                    exchange.getRequestMethod(),
                    exchange.getRequestURI().getPath(),
                    form(body.isEmpty() ? exchange.getRequestURI().getRawQuery() : body),
                    exchange.getRequestHeaders().getFirst("Idempotency-Key"),
                    exchange.getRequestHeaders().getFirst("Authorization")));
            Deque<String[]> queue = answers.get(route);
            String[] answer = queue == null || queue.isEmpty()
                    ? new String[] {"404", error("invalid_request_error", "resource_missing", "No such route")}
                    : queue.size() == 1 ? queue.peek() : queue.poll();
            byte[] bytes = answer[1].getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.getResponseHeaders().add("Request-Id", "req_double");
            exchange.sendResponseHeaders(Integer.parseInt(answer[0]), bytes.length);
            exchange.getResponseBody().write(bytes);
            exchange.close();
        });
        server.start();
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** From now on {@code route} ("POST /v1/customers") answers {@code status} with {@code body}. */
    void answer(String route, int status, String body) {
        Deque<String[]> queue = new ArrayDeque<>();
        queue.add(new String[] {Integer.toString(status), body});
        answers.put(route, queue);
    }

    List<Request> requests() {
        return requests;
    }

    List<Request> requests(String path) {
        return requests.stream().filter(request -> request.path().equals(path)).toList();
    }

    static String error(String type, String code, String message) {
        return "{\"error\": {\"type\": \"" + type + "\", \"code\": " + (code == null ? "null" : "\"" + code + "\"")
                + ", \"message\": \"" + message + "\"}}";
    }

    private static Map<String, String> form(String body) {
        Map<String, String> fields = new HashMap<>();
        if (body == null) {
            return fields;
        }
        for (String pair : body.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int equals = pair.indexOf('=');
            fields.put(
                    URLDecoder.decode(pair.substring(0, equals), StandardCharsets.UTF_8),
                    URLDecoder.decode(pair.substring(equals + 1), StandardCharsets.UTF_8));
        }
        return fields;
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
