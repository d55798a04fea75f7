package dev.tandem.hotpath.platform;

import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Who may read the metrics: anyone presenting {@code Authorization: Bearer <TANDEM_METRICS_TOKEN>}
 * (Prometheus' {@code authorization} setting), or anyone at all when no token is configured
 * (development; production refuses to start without one).
 */
@ApplicationScoped
class MetricsAccess {

    private static final String PROBLEM = "{\"type\":\"about:blank\",\"title\":\"Unauthorized\",\"status\":401,"
            + "\"detail\":\"The metrics need the scrape token.\",\"instance\":\"/q/metrics\"}";

    private final byte[] expected;

    MetricsAccess(@ConfigProperty(name = "tandem.metrics-token") Optional<String> token) {
        this.expected = token.filter(t -> !t.isBlank())
                .map(t -> ("Bearer " + t).getBytes(StandardCharsets.UTF_8))
                .orElse(new byte[0]);
    }

    void install(@Observes Router router) {
        if (expected.length > 0) {
            router.route("/q/metrics*").order(-100).handler(this::guard);
        }
    }

    private void guard(RoutingContext context) {
        String header = context.request().getHeader("Authorization");
        byte[] presented = header == null ? new byte[0] : header.getBytes(StandardCharsets.UTF_8);
        if (MessageDigest.isEqual(expected, presented)) {
            context.next();
            return;
        }
        context.response()
                .setStatusCode(401)
                .putHeader("WWW-Authenticate", "Bearer realm=\"metrics\"")
                .putHeader("Content-Type", "application/problem+json")
                .end(PROBLEM);
    }
}
