package dev.tandem.core.platform;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.concurrent.Semaphore;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Load shedding: at most {@code tandem.http.max-in-flight} requests are served at once; past that,
 * a request is answered 503 with {@code Retry-After: 1} at once, before security, the session or
 * the database. On virtual threads nothing else bounds the requests being served (no thread pool
 * fills up), so without this an overload queues every request on the connection pool until it
 * times out; with it, the requests admitted are answered in time and the rest are turned away in
 * microseconds. The API gets an RFC 9457 problem, a browser a short page. Health and metrics
 * ({@code /actuator/*}) are never shed.
 *
 * <p>Meters: {@code tandem.http.in_flight} (gauge) and {@code tandem.http.shed} (counter).
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE)
public class LoadShedding extends OncePerRequestFilter {

    private static final String PROBLEM = "{\"type\":\"about:blank\",\"title\":\"Service Unavailable\","
            + "\"status\":503,\"detail\":\"The service is at capacity: retry in 1 s.\"}";
    private static final String PAGE = "<!doctype html><html lang=\"en\"><meta charset=\"utf-8\">"
            + "<title>Busy</title><p>Tandem is busy right now. Try again in a moment.</p></html>";

    private final int limit;
    private final Semaphore slots;
    private final Counter shed;

    LoadShedding(@Value("${tandem.http.max-in-flight:512}") int limit, MeterRegistry meters) {
        if (limit < 1) {
            throw new IllegalArgumentException("tandem.http.max-in-flight must be at least 1, not " + limit);
        }
        this.limit = limit;
        this.slots = new Semaphore(limit);
        Gauge.builder("tandem.http.in_flight", this, LoadShedding::inFlight)
                .description("Requests being served (load shedding counts these)")
                .register(meters);
        this.shed = Counter.builder("tandem.http.shed")
                .description("Requests answered 503 because tandem.http.max-in-flight were being served")
                .register(meters);
    }

    /** Requests being served now. */
    int inFlight() {
        return limit - slots.availablePermits();
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return request.getRequestURI().startsWith("/actuator/");
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        if (!slots.tryAcquire()) {
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
