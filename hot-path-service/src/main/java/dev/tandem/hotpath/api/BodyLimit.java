package dev.tandem.hotpath.api;

import io.quarkus.runtime.configuration.MemorySize;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Answers a body declared larger than {@code quarkus.http.limits.max-body-size} with a 413 problem
 * before any of it is read (Quarkus itself would answer with an empty 413). Uploads, which stream
 * and have their own limit, are not concerned.
 */
@ApplicationScoped
class BodyLimit {

    private final long maximum;

    BodyLimit(@ConfigProperty(name = "quarkus.http.limits.max-body-size") MemorySize maximum) {
        this.maximum = maximum.asLongValue();
    }

    void install(@Observes Router router) {
        router.route("/api/*").order(-200).handler(this::check);
    }

    private void check(RoutingContext context) {
        String length = context.request().getHeader("Content-Length");
        if (length != null && !context.request().path().startsWith("/api/v1/files") && tooLong(length)) {
            Problem problem = Problem.of(
                    Response.Status.REQUEST_ENTITY_TOO_LARGE,
                    "The body may have at most " + maximum + " bytes.",
                    context.request().path());
            if (context.request().version() != io.vertx.core.http.HttpVersion.HTTP_2) {
                // The rest of the body is not wanted: close rather than read it (HTTP/1 only).
                context.response().putHeader("Connection", "close");
            }
            problem.send(context.response());
            return;
        }
        context.next();
    }

    private boolean tooLong(String length) {
        try {
            return Long.parseLong(length.strip()) > maximum;
        } catch (NumberFormatException e) {
            return false;
        }
    }
}
