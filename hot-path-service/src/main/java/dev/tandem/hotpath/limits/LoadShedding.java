package dev.tandem.hotpath.limits;

import dev.tandem.hotpath.api.Problem;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.ws.rs.core.Response;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Load shedding: at most {@code tandem.http.max-in-flight} API requests are served at once; past
 * that, a request is answered 503 with {@code Retry-After: 1} at once, before authentication, body
 * parsing or the database. Under overload the service keeps answering the requests it admits in
 * time and turns the rest away in microseconds, instead of letting every request queue until it
 * times out. File transfers ({@code /api/v1/files}) are not counted: they are long, cheap in CPU
 * and bounded by their own limits. Health and metrics ({@code /q/*}) are never shed.
 *
 * <p>Meters: {@code tandem.http.in_flight} (gauge) and {@code tandem.http.shed} (counter).
 */
@ApplicationScoped
class LoadShedding {

    private final int limit;
    private final AtomicInteger inFlight = new AtomicInteger();
    private final Counter shed;

    LoadShedding(@ConfigProperty(name = "tandem.http.max-in-flight") int limit, MeterRegistry meters) {
        if (limit < 1) {
            throw new IllegalArgumentException("tandem.http.max-in-flight must be at least 1, not " + limit);
        }
        this.limit = limit;
        Gauge.builder("tandem.http.in_flight", inFlight, AtomicInteger::get)
                .description("API requests being served (load shedding counts these)")
                .register(meters);
        this.shed = Counter.builder("tandem.http.shed")
                .description("API requests answered 503 because tandem.http.max-in-flight were being served")
                .register(meters);
    }

    void install(@Observes Router router) {
        router.route("/api/*").order(-300).handler(this::admit);
    }

    /** API requests being served now. */
    int inFlight() {
        return inFlight.get();
    }

    private void admit(RoutingContext context) {
        if (context.request().path().startsWith("/api/v1/files")) {
            context.next();
            return;
        }
        if (inFlight.incrementAndGet() > limit) {
            inFlight.decrementAndGet();
            shed.increment();
            context.response().putHeader("Retry-After", "1");
            Problem.of(
                            Response.Status.SERVICE_UNAVAILABLE,
                            "The service is at capacity: retry in 1 s.",
                            context.request().path())
                    .send(context.response());
            return;
        }
        // Called once, when the response has been sent or the connection closed before that.
        context.addEndHandler(ended -> inFlight.decrementAndGet());
        context.next();
    }
}
