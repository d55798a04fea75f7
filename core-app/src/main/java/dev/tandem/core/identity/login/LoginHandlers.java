package dev.tandem.core.identity.login;

import dev.tandem.core.identity.AccountPrincipal;
import dev.tandem.core.identity.sessions.SessionRegistry;
import dev.tandem.core.platform.Sql;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;
import java.io.IOException;
import java.time.Clock;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.authentication.DisabledException;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.web.authentication.AuthenticationFailureHandler;
import org.springframework.security.web.authentication.SavedRequestAwareAuthenticationSuccessHandler;
import org.springframework.stereotype.Component;

/**
 * What happens after a password sign-in: on success the throttle forgets the account, the session
 * records where it came from (for the sessions page) and the last sign-in time is kept; on failure
 * the throttle counts it and the form says what went wrong, without telling whether the account
 * exists.
 */
@Component
public class LoginHandlers {

    private final LoginThrottle throttle;
    private final JdbcClient jdbc;
    private final Clock clock;

    LoginHandlers(LoginThrottle throttle, JdbcClient jdbc, Clock clock) {
        this.throttle = throttle;
        this.jdbc = jdbc;
        this.clock = clock;
    }

    public SavedRequestAwareAuthenticationSuccessHandler success() {
        SavedRequestAwareAuthenticationSuccessHandler handler = new SavedRequestAwareAuthenticationSuccessHandler() {
            @Override
            public void onAuthenticationSuccess(
                    HttpServletRequest request, HttpServletResponse response, Authentication authentication)
                    throws jakarta.servlet.ServletException, IOException {
                if (authentication.getPrincipal() instanceof AccountPrincipal account) {
                    signedIn(account, request);
                }
                super.onAuthenticationSuccess(request, response, authentication);
            }
        };
        handler.setDefaultTargetUrl("/dashboard");
        return handler;
    }

    public AuthenticationFailureHandler failure() {
        return (HttpServletRequest request, HttpServletResponse response, AuthenticationException exception) -> {
            String email = Optional.ofNullable(request.getParameter("email")).orElse("");
            throttle.failed(email, request.getRemoteAddr());
            String reason = exception instanceof DisabledException ? "disabled" : "error";
            response.sendRedirect(request.getContextPath() + "/login?" + reason);
        };
    }

    void signedIn(AccountPrincipal account, HttpServletRequest request) {
        throttle.succeeded(account.email());
        jdbc.sql("update users set last_login_at = ? where id = ?")
                .params(Sql.at(clock.instant()), account.id())
                .update();
        HttpSession session = request.getSession();
        session.setAttribute(SessionRegistry.CLIENT_ADDRESS, request.getRemoteAddr());
        session.setAttribute(
                SessionRegistry.USER_AGENT,
                Optional.ofNullable(request.getHeader("User-Agent"))
                        .map(agent -> agent.length() > 200 ? agent.substring(0, 200) : agent)
                        .orElse("unknown"));
    }
}
