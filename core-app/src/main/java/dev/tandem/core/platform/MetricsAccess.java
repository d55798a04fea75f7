package dev.tandem.core.platform;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.function.Supplier;
import org.springframework.security.authorization.AuthorizationDecision;
import org.springframework.security.authorization.AuthorizationManager;
import org.springframework.security.authorization.AuthorizationResult;
import org.springframework.security.core.Authentication;
import org.springframework.security.web.access.intercept.RequestAuthorizationContext;

/**
 * Who may read the metrics: anyone presenting {@code Authorization: Bearer <TANDEM_METRICS_TOKEN>}
 * (Prometheus' {@code authorization} setting), or anyone at all when no token is configured
 * (development; production refuses to start without one).
 */
public final class MetricsAccess implements AuthorizationManager<RequestAuthorizationContext> {

    private final byte[] expected;

    public MetricsAccess(String token) {
        this.expected = token.isEmpty() ? new byte[0] : ("Bearer " + token).getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public AuthorizationResult authorize(
            Supplier<? extends Authentication> authentication, RequestAuthorizationContext context) {
        if (expected.length == 0) {
            return new AuthorizationDecision(true);
        }
        String header = context.getRequest().getHeader("Authorization");
        byte[] presented = header == null ? new byte[0] : header.getBytes(StandardCharsets.UTF_8);
        return new AuthorizationDecision(MessageDigest.isEqual(expected, presented));
    }
}
