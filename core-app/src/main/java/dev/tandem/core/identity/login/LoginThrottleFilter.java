package dev.tandem.core.identity.login;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Duration;
import java.util.Optional;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Turns away a sign-in while its account or address must wait, before the password is even
 * hashed (so throttled guessing costs the server nothing), with the wait on the form.
 */
public class LoginThrottleFilter extends OncePerRequestFilter {

    private final LoginThrottle throttle;

    public LoginThrottleFilter(LoginThrottle throttle) {
        this.throttle = throttle;
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return !("POST".equals(request.getMethod()) && "/login".equals(request.getServletPath()));
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String email = Optional.ofNullable(request.getParameter("email")).orElse("");
        Optional<Duration> wait = throttle.waitFor(email, request.getRemoteAddr());
        if (wait.isPresent()) {
            response.sendRedirect(request.getContextPath() + "/login?throttled=" + seconds(wait.get()));
            return;
        }
        chain.doFilter(request, response);
    }

    static long seconds(Duration wait) {
        return Math.max(1, (wait.toMillis() + 999) / 1000);
    }
}
