package dev.tandem.core;

import java.io.IOException;
import java.net.CookieManager;
import java.net.HttpCookie;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * A minimal browser for tests: a cookie jar, form posts that carry the CSRF token of the page they
 * come from, and no automatic redirects (tests assert where a response points).
 */
public final class TestBrowser {

    private static final Pattern CSRF = Pattern.compile("name=\"_csrf\" value=\"([^\"]+)\"");

    private final String baseUrl;
    private final CookieManager cookies = new CookieManager();
    private final HttpClient http;
    private String lastBody = "";

    TestBrowser(String baseUrl) {
        this.baseUrl = baseUrl;
        this.http = HttpClient.newBuilder()
                .cookieHandler(cookies)
                .followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(Duration.ofSeconds(5))
                .build();
    }

    /** A response: its status, body, headers and (for redirects) where it points. */
    public record Page(int status, String body, Map<String, String> headers) {

        public Optional<String> location() {
            return Optional.ofNullable(headers.get("location"));
        }

        public String header(String name) {
            return headers.getOrDefault(name.toLowerCase(), "");
        }
    }

    public Page get(String path) {
        return send(
                HttpRequest.newBuilder(uri(path)).header("Accept", "text/html").GET());
    }

    /** GETs {@code path} and follows redirects within the site, as a browser would. */
    public Page open(String path) {
        Page page = get(path);
        for (int hops = 0; hops < 5 && page.location().isPresent(); hops++) {
            page = get(page.location().get());
        }
        return page;
    }

    /** Posts a form with the CSRF token of the last page seen. */
    public Page post(String path, Map<String, String> fields) {
        Map<String, String> form = new LinkedHashMap<>(fields);
        csrfToken().ifPresent(token -> form.putIfAbsent("_csrf", token));
        return postRaw(path, form);
    }

    /** Posts a form whose names may repeat (checkboxes), with the CSRF token of the last page seen. */
    public Page post(String path, List<Map.Entry<String, String>> fields) {
        List<Map.Entry<String, String>> form = new java.util.ArrayList<>(fields);
        csrfToken().ifPresent(token -> form.add(Map.entry("_csrf", token)));
        String body = form.stream()
                .map(e -> encode(e.getKey()) + "=" + encode(e.getValue()))
                .collect(Collectors.joining("&"));
        return send(HttpRequest.newBuilder(uri(path))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("Accept", "text/html")
                .POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    /** Posts a form exactly as given (no CSRF token added). */
    public Page postRaw(String path, Map<String, String> form) {
        String body = form.entrySet().stream()
                .map(e -> encode(e.getKey()) + "=" + encode(e.getValue()))
                .collect(Collectors.joining("&"));
        return send(HttpRequest.newBuilder(uri(path))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("Accept", "text/html")
                .POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    public Optional<String> cookie(String name) {
        return cookies.getCookieStore().getCookies().stream()
                .filter(cookie -> cookie.getName().equals(name))
                .map(HttpCookie::getValue)
                .findFirst();
    }

    public Optional<String> csrfToken() {
        Matcher matcher = CSRF.matcher(lastBody);
        return matcher.find() ? Optional.of(matcher.group(1)) : Optional.empty();
    }

    /** Signs in with email and password through the sign-in form; returns the response to the post. */
    public Page signIn(String email, String password) {
        get("/login");
        return post("/login", Map.of("email", email, "password", password));
    }

    private Page send(HttpRequest.Builder request) {
        try {
            HttpResponse<String> response =
                    http.send(request.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
            Map<String, String> headers = new LinkedHashMap<>();
            response.headers()
                    .map()
                    .forEach((name, values) -> headers.put(name.toLowerCase(), String.join(", ", values)));
            if (!response.body().isEmpty()) {
                lastBody = response.body();
            }
            return new Page(response.statusCode(), response.body(), headers);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private URI uri(String path) {
        return URI.create(path.startsWith("http") ? path : baseUrl + path);
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
