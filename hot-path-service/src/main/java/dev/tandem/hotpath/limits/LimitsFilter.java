package dev.tandem.hotpath.limits;

import dev.tandem.hotpath.api.Problem;
import io.quarkus.security.identity.CurrentIdentityAssociation;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpServerRequest;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;
import org.jboss.resteasy.reactive.server.ServerResponseFilter;
import org.jspecify.annotations.Nullable;

/**
 * Every API call: take a token from the caller's bucket (429 with {@code Retry-After} when empty),
 * count it for the account, and report the bucket in {@code RateLimit-Limit},
 * {@code RateLimit-Remaining} and {@code RateLimit-Reset} (seconds until full). A call with bad
 * credentials is answered 401 by the security layer before it costs anything here.
 */
public class LimitsFilter {

    private static final String DECISION = LimitsFilter.class.getName() + ".decision";

    private final RateLimits limits;
    private final CurrentIdentityAssociation identities;

    LimitsFilter(RateLimits limits, CurrentIdentityAssociation identities) {
        this.limits = limits;
        this.identities = identities;
    }

    @ServerRequestFilter
    Uni<@Nullable Response> limit(ContainerRequestContext request, HttpServerRequest http) {
        return identities.getDeferredIdentity().map(identity -> {
            RateLimits.Decision decision = limits.admit(identity, address(http));
            request.setProperty(DECISION, decision);
            if (!decision.allowed()) {
                return Response.fromResponse(Problem.of(
                                        Response.Status.TOO_MANY_REQUESTS,
                                        "Rate limit reached: retry in " + decision.retryAfterSeconds() + " s.",
                                        request.getUriInfo().getRequestUri().getRawPath())
                                .toResponse())
                        .header("Retry-After", decision.retryAfterSeconds())
                        .build();
            }
            return null;
        });
    }

    @ServerResponseFilter
    void report(ContainerRequestContext request, ContainerResponseContext response) {
        if (request.getProperty(DECISION) instanceof RateLimits.Decision decision) {
            decision.headers(response.getHeaders()::putSingle);
        }
    }

    /** The client's address (the peer; behind a proxy, enable quarkus.http.proxy.proxy-address-forwarding). */
    public static String address(HttpServerRequest http) {
        return http.remoteAddress() == null ? "unknown" : http.remoteAddress().hostAddress();
    }
}
