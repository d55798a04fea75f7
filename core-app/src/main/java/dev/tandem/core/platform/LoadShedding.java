package dev.tandem.core.platform;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Load shedding: at most {@code tandem.http.max-in-flight} requests are served at once (by default
 * the database pool's size: a request holds a connection for most of its life, and more would only
 * queue on the pool; 0 means 16 per processor; docs/api.md). A request past
 * that waits for a place, at most {@code tandem.http.max-waiting} of them for at most {@code
 * tandem.http.max-wait} (a parked virtual thread costs next to nothing); with the queue full, or its
 * wait over, it is answered 503 with {@code Retry-After: 1}, before security, the session or the
 * database. On virtual threads nothing else bounds the requests being served (no thread pool fills
 * up), so without this an overload queues every request on the connection pool until it times out;
 * with it, the requests admitted are answered in time and the rest are turned away in
 * microseconds, while a short burst waits instead of failing. The API gets an RFC 9457 problem, a
 * browser a short page. Health and metrics ({@code /actuator/*}) are never shed.
 *
 * <p>Meters: {@code tandem.http.in_flight} and {@code tandem.http.waiting} (gauges) and {@code
 * tandem.http.shed} (counter).
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE)
public class LoadShedding extends OncePerRequestFilter {

    private static final String PROBLEM = "{\"type\":\"about:blank\",\"title\":\"Service Unavailable\","
            + "\"status\":503,\"detail\":\"The service is at capacity: retry in 1 s.\"}";
    private static final String PAGE = "<!doctype html><html lang=\"en\"><meta charset=\"utf-8\">"
            + "<title>Busy</title><p>Tandem is busy right now. Try again in a moment.</p></html>";

    /** The default limit, per processor. */
    static final int PER_PROCESSOR = 16;

    private final int limit;
    private final int maxWaiting;
    private final Duration maxWait;
    private final Semaphore slots;
    private final AtomicInteger waiting = new AtomicInteger();
    private final Counter shed;

    LoadShedding(
            @Value("${tandem.http.max-in-flight:0}") int limit,
            @Value("${tandem.http.max-waiting:128}") int maxWaiting,
            @Value("${tandem.http.max-wait:100ms}") Duration maxWait,
            MeterRegistry meters) {
        if (limit < 0 || maxWaiting < 0 || maxWait.isNegative()) {
            throw new IllegalArgumentException("tandem.http.max-in-flight, max-waiting and max-wait must be at"
                    + " least 0; not " + limit + ", " + maxWaiting + ", " + maxWait);
        }
        this.limit = limit == 0 ? PER_PROCESSOR * Runtime.getRuntime().availableProcessors() : limit;
        this.maxWaiting = maxWaiting;
        this.maxWait = maxWait;
        this.slots = new Semaphore(this.limit, true); // first come first served: no waiter starves
        Gauge.builder("tandem.http.in_flight", this, LoadShedding::inFlight)
                .description("Requests being served (load shedding counts these)")
                .register(meters);
        Gauge.builder("tandem.http.waiting", waiting, AtomicInteger::get)
                .description("Requests waiting for a place (load shedding)")
                .register(meters);
        this.shed = Counter.builder("tandem.http.shed")
                .description("Requests answered 503 because the service was at capacity")
                .register(meters);
    }

    /** Requests being served now. */
    int inFlight() {
        return limit - slots.availablePermits();
    }

    /** A place at once, or after waiting for one (when few enough are waiting already); false: shed. */
    private boolean admitted() {
        try {
            if (slots.tryAcquire(0, TimeUnit.NANOSECONDS)) { // unlike tryAcquire(), never ahead of a waiter
                return true;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
        if (waiting.incrementAndGet() > maxWaiting) {
            waiting.decrementAndGet();
            return false;
        }
        try {
            return slots.tryAcquire(maxWait.toNanos(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } finally {
            waiting.decrementAndGet();
        }
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return request.getRequestURI().startsWith("/actuator/");
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        if (!admitted()) {
            shed.increment();
            response.setStatus(HttpServletResponse.SC_SERVICE_UNAVAILABLE);
            response.setHeader("Retry-After", "1");
            response.setCharacterEncoding("UTF-8");
            if (request.getRequestURI().startsWith("/api/")) {
                response.setContentType("application/problem+json");
                response.getWriter().write(PROBLEM);
            } else {
                response.setContentType("text/html");
                response.getWriter().write(PAGE);
            }
            return;
        }
        try {
            chain.doFilter(request, response);
        } finally {
            slots.release();
        }
    }
}
