package dev.tandem.hotpath.limits;

import dev.tandem.hotpath.api.Problem;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.ws.rs.core.Response;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Load shedding: at most {@code tandem.http.max-in-flight} API requests are served at once (by
 * default 16 per processor: enough to keep the database and the CPU busy, few enough that more
 * would only wait for them; docs/api.md). A request
 * past that waits for a place, paused, in a queue of at most {@code tandem.http.max-waiting}, for
 * at most {@code tandem.http.max-wait}, first come first served (measured: newest-first starved
 * the oldest waiters of a steady load into 503s). With the queue full, or its wait over, it is
 * answered 503 with {@code Retry-After: 1}, before authentication, body parsing or the database:
 * under overload the service keeps answering the requests it admits in time and turns the rest away
 * in microseconds, instead of letting every request queue until it times out. A short burst waits
 * instead of failing. File transfers and the models' calls are not counted ({@link #ownLimits}).
 * Health and metrics ({@code /q/*}) are never shed.
 *
 * <p>Meters: {@code tandem.http.in_flight} and {@code tandem.http.waiting} (gauges) and {@code
 * tandem.http.shed} (counter).
 */
@ApplicationScoped
class LoadShedding {

    /** A request waiting for a place: its routing context, its event loop, and its timer. */
    private static final class Waiting {
        final RoutingContext request;
        final Context loop;
        long timer;

        Waiting(RoutingContext request, Context loop) {
            this.request = request;
            this.loop = loop;
        }
    }

    /** The default limit, per processor. */
    static final int PER_PROCESSOR = 16;

    private final Vertx vertx;
    private final int limit;
    private final int maxWaiting;
    private final long maxWaitMillis;
    private final Counter shed;
    // Guarded by this: the places taken, and the requests waiting for one (oldest first).
    private int inFlight;
    private final Deque<Waiting> waiting = new ArrayDeque<>();

    LoadShedding(
            Vertx vertx,
            @ConfigProperty(name = "tandem.http.max-in-flight") int limit,
            @ConfigProperty(name = "tandem.http.max-waiting") int maxWaiting,
            @ConfigProperty(name = "tandem.http.max-wait") Duration maxWait,
            MeterRegistry meters) {
        if (limit < 0 || maxWaiting < 0 || maxWait.isNegative()) {
            throw new IllegalArgumentException("tandem.http.max-in-flight, max-waiting and max-wait must be at"
                    + " least 0; not " + limit + ", " + maxWaiting + ", " + maxWait);
        }
        this.vertx = vertx;
        this.limit = limit == 0 ? PER_PROCESSOR * Runtime.getRuntime().availableProcessors() : limit;
        this.maxWaiting = maxWaiting;
        this.maxWaitMillis = Math.max(1, maxWait.toMillis());
        Gauge.builder("tandem.http.in_flight", this, LoadShedding::inFlight)
                .description("API requests being served (load shedding counts these)")
                .register(meters);
        Gauge.builder("tandem.http.waiting", this, LoadShedding::waiting)
                .description("API requests waiting for a place (load shedding)")
                .register(meters);
        this.shed = Counter.builder("tandem.http.shed")
                .description("API requests answered 503 because the service was at capacity")
                .register(meters);
    }

    void install(@Observes Router router) {
        router.route("/api/*").order(-300).handler(this::admit);
    }

    /** API requests being served now. */
    synchronized int inFlight() {
        return inFlight;
    }

    /** API requests waiting for a place now. */
    synchronized int waiting() {
        return waiting.size();
    }

    private void admit(RoutingContext request) {
        if (ownLimits(request.normalizedPath())) { // as routed: no "/api/v1/files/../" way around
            request.next();
            return;
        }
        Waiting queued = null;
        boolean admitted = false;
        synchronized (this) {
            if (inFlight < limit) {
                inFlight++;
                admitted = true;
            } else if (waiting.size() < maxWaiting) {
                queued = new Waiting(request, Vertx.currentContext());
                request.request().pause(); // its body, if any, stays unread until it has a place
                waiting.addLast(queued);
            }
        }
        if (admitted) {
            serve(request);
        } else if (queued == null) {
            refuse(request);
        } else {
            Waiting self = queued;
            self.timer = vertx.setTimer(maxWaitMillis, fired -> {
                boolean removed;
                synchronized (this) {
                    removed = waiting.remove(self);
                }
                if (removed) {
                    request.request().resume();
                    refuse(request);
                }
            });
        }
    }

    /**
     * Requests that another limit bounds, so that they never hold places the database-bound API
     * needs: file transfers (long, cheap in CPU, bounded by size and rate) and the models' calls
     * (the micro-batcher's bounded queue answers 503 itself; a call may wait there for seconds).
     */
    static boolean ownLimits(String path) {
        return path.startsWith("/api/v1/files")
                || path.equals("/api/v1/embeddings")
                || (path.startsWith("/api/v1/inference/") && !path.startsWith("/api/v1/inference/jobs"));
    }

    private void serve(RoutingContext request) {
        if (request.response().closed() || request.response().ended()) {
            // Its client went away while it waited: no end will come, so give the place on now.
            release();
            return;
        }
        // Called once, when the response has been sent or the connection closed before that.
        request.addEndHandler(ended -> release());
        request.next();
    }

    /** Hands the place to the longest waiter, on its own event loop, or frees it. */
    private void release() {
        Waiting next;
        synchronized (this) {
            next = waiting.pollFirst();
            if (next == null) {
                inFlight--;
            }
        }
        if (next != null) {
            vertx.cancelTimer(next.timer);
            next.loop.runOnContext(resumed -> {
                next.request.request().resume();
                serve(next.request);
            });
        }
    }

    private void refuse(RoutingContext request) {
        shed.increment();
        request.response().putHeader("Retry-After", "1");
        Problem.of(
                        Response.Status.SERVICE_UNAVAILABLE,
                        "The service is at capacity: retry in 1 s.",
                        request.request().path())
                .send(request.response());
    }
}
