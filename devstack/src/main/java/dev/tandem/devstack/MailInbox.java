package dev.tandem.devstack;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.GreenMailUtil;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import jakarta.mail.Address;
import jakarta.mail.BodyPart;
import jakarta.mail.MessagingException;
import jakarta.mail.Multipart;
import jakarta.mail.Part;
import jakarta.mail.internet.MimeMessage;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import tools.jackson.databind.json.JsonMapper;

/**
 * The mail catcher's inbox on the web, for people and tests: {@code /} lists every message sent
 * through devstack's SMTP server, {@code /messages/<n>} shows one, {@code /api/messages} returns them
 * all as JSON ({@code to}, {@code subject}, {@code text}, {@code html}), {@code DELETE /api/messages}
 * empties the inbox.
 */
public final class MailInbox implements AutoCloseable {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final HttpServer server;
    private final GreenMail greenMail;

    private MailInbox(HttpServer server, GreenMail greenMail) {
        this.server = server;
        this.greenMail = greenMail;
    }

    public static MailInbox start(GreenMail greenMail, int port) {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 0);
            MailInbox inbox = new MailInbox(server, greenMail);
            server.createContext("/api/messages", inbox::api);
            server.createContext("/messages/", inbox::message);
            server.createContext("/", inbox::list);
            server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
            server.start();
            return inbox;
        } catch (IOException e) {
            throw new DevStackException("the mail inbox did not start on port " + port + ": " + e.getMessage(), e);
        }
    }

    /** Every message received so far, oldest first. */
    public List<Map<String, Object>> messages() {
        MimeMessage[] received = greenMail.getReceivedMessages();
        List<Map<String, Object>> messages = new ArrayList<>();
        for (int i = 0; i < received.length; i++) {
            messages.add(describe(i, received[i]));
        }
        return messages;
    }

    @Override
    public void close() {
        server.stop(0);
    }

    private void api(HttpExchange exchange) throws IOException {
        if ("DELETE".equals(exchange.getRequestMethod())) {
            try {
                greenMail.purgeEmailFromAllMailboxes();
            } catch (com.icegreen.greenmail.store.FolderException e) {
                respond(exchange, 500, "text/plain", "could not empty the inbox: " + e.getMessage());
                return;
            }
            respond(exchange, 204, "application/json", "");
            return;
        }
        respond(exchange, 200, "application/json", JSON.writeValueAsString(messages()));
    }

    private void list(HttpExchange exchange) throws IOException {
        StringBuilder rows = new StringBuilder();
        List<Map<String, Object>> messages = messages();
        for (int i = messages.size() - 1; i >= 0; i--) {
            Map<String, Object> m = messages.get(i);
            rows.append("<tr><td>")
                    .append(escape(String.valueOf(m.get("receivedAt"))))
                    .append("</td><td>")
                    .append(escape(String.join(", ", stringList(m.get("to")))))
                    .append("</td><td><a href=\"/messages/")
                    .append(i)
                    .append("\">")
                    .append(escape(String.valueOf(m.get("subject"))))
                    .append("</a></td></tr>");
        }
        respond(
                exchange,
                200,
                "text/html",
                page(
                        "Inbox (" + messages.size() + ")",
                        messages.isEmpty()
                                ? "<p>No mail yet. Everything the services send arrives here.</p>"
                                : "<table><thead><tr><th>Received</th><th>To</th><th>Subject</th></tr></thead><tbody>"
                                        + rows + "</tbody></table>"));
    }

    private void message(HttpExchange exchange) throws IOException {
        List<Map<String, Object>> messages = messages();
        int index;
        try {
            index = Integer.parseInt(exchange.getRequestURI().getPath().substring("/messages/".length()));
        } catch (NumberFormatException e) {
            index = -1;
        }
        if (index < 0 || index >= messages.size()) {
            respond(exchange, 404, "text/html", page("Not found", "<p>No such message. <a href=\"/\">Inbox</a></p>"));
            return;
        }
        Map<String, Object> m = messages.get(index);
        Object html = m.get("html");
        String body = html != null ? html.toString() : "<pre>" + escape(String.valueOf(m.get("text"))) + "</pre>";
        respond(
                exchange,
                200,
                "text/html",
                page(
                        String.valueOf(m.get("subject")),
                        "<p><a href=\"/\">&larr; Inbox</a> &middot; to "
                                + escape(String.join(", ", stringList(m.get("to"))))
                                + (stringList(m.get("attachments")).isEmpty()
                                        ? ""
                                        : " &middot; attached: "
                                                + escape(String.join(", ", stringList(m.get("attachments")))))
                                + "</p><div class=\"mail\">" + body + "</div>"));
    }

    private static Map<String, Object> describe(int index, MimeMessage message) {
        try {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("index", index);
            m.put("from", addresses(message.getFrom()));
            m.put("to", addresses(message.getAllRecipients()));
            m.put("subject", message.getSubject());
            m.put(
                    "receivedAt",
                    message.getReceivedDate() == null
                            ? Instant.now().toString()
                            : message.getReceivedDate().toInstant().toString());
            m.put("text", part(message, "text/plain"));
            m.put("html", part(message, "text/html"));
            m.put("attachments", attachments(message));
            return m;
        } catch (MessagingException | IOException e) {
            throw new IllegalStateException("unreadable message", e);
        }
    }

    private static String part(Part part, String type) throws MessagingException, IOException {
        if (part.isMimeType(type)) {
            return GreenMailUtil.getBody(part);
        }
        if (part.getContent() instanceof Multipart multipart) {
            for (int i = 0; i < multipart.getCount(); i++) {
                BodyPart child = multipart.getBodyPart(i);
                String found = part(child, type);
                if (found != null) {
                    return found;
                }
            }
        }
        return null;
    }

    /** The file names of the parts sent as attachments, with their size. */
    private static List<String> attachments(Part part) throws MessagingException, IOException {
        List<String> found = new java.util.ArrayList<>();
        if (Part.ATTACHMENT.equalsIgnoreCase(part.getDisposition()) && part.getFileName() != null) {
            found.add(part.getFileName() + " (" + part.getInputStream().readAllBytes().length + " bytes)");
        } else if (part.getContent() instanceof Multipart multipart) {
            for (int i = 0; i < multipart.getCount(); i++) {
                found.addAll(attachments(multipart.getBodyPart(i)));
            }
        }
        return found;
    }

    private static List<String> addresses(Address[] addresses) {
        return addresses == null
                ? List.of()
                : Arrays.stream(addresses).map(Address::toString).toList();
    }

    @SuppressWarnings("unchecked")
    private static List<String> stringList(Object value) {
        return value instanceof List<?> list ? (List<String>) list : List.of();
    }

    private static String page(String title, String body) {
        return "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>" + escape(title)
                + " · Tandem mail catcher</title><style>body{font:15px system-ui,sans-serif;margin:2rem auto;"
                + "max-width:60rem;padding:0 1rem}table{border-collapse:collapse;width:100%}td,th{text-align:left;"
                + "padding:.4rem;border-bottom:1px solid #ddd}.mail{border:1px solid #ddd;padding:1rem;"
                + "border-radius:.5rem}</style></head><body><h1>" + escape(title) + "</h1>" + body + "</body></html>";
    }

    private static String escape(String text) {
        return text.replace("&", "&amp;")
                .replace("<", "&lt;")
                .replace(">", "&gt;")
                .replace("\"", "&quot;");
    }

    private static void respond(HttpExchange exchange, int status, String type, String body) {
        try (exchange) {
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", type + "; charset=utf-8");
            exchange.sendResponseHeaders(status, status == 204 ? -1 : bytes.length);
            if (status != 204) {
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(bytes);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
