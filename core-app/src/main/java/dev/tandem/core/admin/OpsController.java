package dev.tandem.core.admin;

import dev.tandem.core.messaging.DeadLetters;
import dev.tandem.core.platform.TandemProperties;
import java.net.http.HttpClient;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.amqp.core.AmqpAdmin;
import org.springframework.amqp.core.QueueInformation;
import org.springframework.boot.health.actuate.endpoint.HealthEndpoint;
import org.springframework.http.client.JdkClientHttpRequestFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.core.Authentication;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.client.RestClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The operators' overview ({@code /admin/ops}, any staff member): the health of both services,
 * the outbox of each producer (what waits, since when, what fails), every consumer queue's depth
 * with its retry and dead-letter queues, and core-app's recent warnings and errors.
 */
@Controller
class OpsController {

    record Health(
            String service,
            String status,
            Map<String, String> components,
            @Nullable String problem) {
        public boolean up() {
            return "UP".equals(status);
        }
    }

    record OutboxRow(
            String producer, long pending, @Nullable String oldest, long lagSeconds, long failing, long sentLastHour) {}

    record Failing(String producer, String type, int attempts, String error, String created) {}

    record QueueRow(String queue, long ready, long retry, long dead, long consumers) {}

    private final HealthEndpoint health;
    private final JdbcClient jdbc;
    private final DeadLetters deadLetters;
    private final AmqpAdmin amqp;
    private final RecentErrors errors;
    private final RestClient hotPath;
    private final JsonMapper json;

    OpsController(
            HealthEndpoint health,
            JdbcClient jdbc,
            DeadLetters deadLetters,
            AmqpAdmin amqp,
            RecentErrors errors,
            TandemProperties properties,
            JsonMapper json) {
        this.health = health;
        this.jdbc = jdbc;
        this.deadLetters = deadLetters;
        this.amqp = amqp;
        this.errors = errors;
        this.json = json;
        JdkClientHttpRequestFactory requests = new JdkClientHttpRequestFactory(
                HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build());
        requests.setReadTimeout(Duration.ofSeconds(3));
        this.hotPath = RestClient.builder()
                .baseUrl(properties.hotPathInternalUrl().toString())
                .requestFactory(requests)
                .build();
    }

    @GetMapping("/admin/ops")
    String ops(Authentication caller, Model model) {
        model.addAttribute("health", List.of(coreHealth(), hotPathHealth()));
        model.addAttribute("outbox", outbox());
        model.addAttribute("failing", failing());
        model.addAttribute("queues", queues());
        model.addAttribute("errors", errors.recent());
        return "admin/ops";
    }

    private Health coreHealth() {
        var result = health.health();
        Map<String, String> components = new LinkedHashMap<>();
        if (result instanceof org.springframework.boot.health.actuate.endpoint.CompositeHealthDescriptor composite) {
            composite
                    .getComponents()
                    .forEach((name, component) ->
                            components.put(name, component.getStatus().getCode()));
        }
        return new Health("core-app", result.getStatus().getCode(), components, null);
    }

    private Health hotPathHealth() {
        try {
            String body = hotPath.get()
                    .uri("/q/health")
                    .exchange((request, response) ->
                            new String(response.getBody().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8));
            JsonNode root = json.readTree(body);
            Map<String, String> components = new LinkedHashMap<>();
            root.path("checks")
                    .forEach(check -> components.put(
                            check.path("name").asString(), check.path("status").asString()));
            return new Health("hot-path-service", root.path("status").asString("UNKNOWN"), components, null);
        } catch (RuntimeException unreachable) {
            return new Health("hot-path-service", "DOWN", Map.of(), "unreachable: " + unreachable.getMessage());
        }
    }

    private List<OutboxRow> outbox() {
        return jdbc.sql("""
                        select producer,
                               count(*) filter (where sent_at is null) as pending,
                               min(created_at) filter (where sent_at is null) as oldest,
                               count(*) filter (where sent_at is null and last_error is not null) as failing,
                               count(*) filter (where sent_at > now() - interval '1 hour') as sent_last_hour
                        from outbox group by producer order by producer
                        """)
                .query((rs, n) -> {
                    OffsetDateTime oldest = rs.getObject("oldest", OffsetDateTime.class);
                    long lag = oldest == null
                            ? 0
                            : Duration.between(oldest.toInstant(), java.time.Instant.now())
                                    .toSeconds();
                    return new OutboxRow(
                            rs.getString("producer"),
                            rs.getLong("pending"),
                            oldest == null ? null : AdminField.TIME.format(oldest.toInstant()),
                            Math.max(0, lag),
                            rs.getLong("failing"),
                            rs.getLong("sent_last_hour"));
                })
                .list();
    }

    private List<Failing> failing() {
        return jdbc.sql("""
                        select producer, event_type, attempts, last_error, created_at from outbox
                        where sent_at is null and last_error is not null order by seq limit 20
                        """)
                .query((rs, n) -> new Failing(
                        rs.getString("producer"),
                        rs.getString("event_type"),
                        rs.getInt("attempts"),
                        rs.getString("last_error"),
                        AdminField.TIME.format(
                                rs.getObject("created_at", OffsetDateTime.class).toInstant())))
                .list();
    }

    private List<QueueRow> queues() {
        List<QueueRow> rows = new ArrayList<>();
        for (String queue : deadLetters.queues()) {
            QueueInformation main = info(queue);
            rows.add(new QueueRow(
                    queue,
                    main == null ? -1 : main.getMessageCount(),
                    count(info(queue + ".retry")),
                    deadLetters.depth(queue),
                    main == null ? -1 : main.getConsumerCount()));
        }
        return rows;
    }

    private @Nullable QueueInformation info(String queue) {
        try {
            return amqp.getQueueInfo(queue);
        } catch (RuntimeException brokerDown) {
            return null;
        }
    }

    private static long count(@Nullable QueueInformation info) {
        return info == null ? -1 : info.getMessageCount();
    }
}
