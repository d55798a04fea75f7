package dev.tandem.core.identity.mfa;

import dev.tandem.core.identity.AccountPrincipal;
import dev.tandem.core.identity.login.LoginThrottle;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.util.List;
import java.util.Optional;
import org.springframework.http.HttpMethod;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.authentication.InsufficientAuthenticationException;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.authority.FactorGrantedAuthority;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.web.authentication.AbstractAuthenticationProcessingFilter;
import org.springframework.security.web.authentication.SavedRequestAwareAuthenticationSuccessHandler;
import org.springframework.security.web.authentication.session.ChangeSessionIdAuthenticationStrategy;
import org.springframework.security.web.context.DelegatingSecurityContextRepository;
import org.springframework.security.web.context.HttpSessionSecurityContextRepository;
import org.springframework.security.web.context.RequestAttributeSecurityContextRepository;
import org.springframework.security.web.servlet.util.matcher.PathPatternRequestMatcher;

/**
 * The second sign-in step ({@code POST /login/totp}): checks the code of the account that already
 * gave its password and adds the {@code FACTOR_TOTP} authority to that same authentication
 * (Spring Security merges the factors). The session id changes again, and failures count in the
 * sign-in throttle like wrong passwords.
 */
public class TotpAuthenticationFilter extends AbstractAuthenticationProcessingFilter {

    private final TotpService totp;

    public TotpAuthenticationFilter(TotpService totp, LoginThrottle throttle) {
        super(PathPatternRequestMatcher.withDefaults().matcher(HttpMethod.POST, "/login/totp"));
        this.totp = totp;
        setMfaEnabled(true);
        setSecurityContextRepository(new DelegatingSecurityContextRepository(
                new RequestAttributeSecurityContextRepository(), new HttpSessionSecurityContextRepository()));
        setSessionAuthenticationStrategy(new ChangeSessionIdAuthenticationStrategy());
        SavedRequestAwareAuthenticationSuccessHandler success = new SavedRequestAwareAuthenticationSuccessHandler();
        success.setDefaultTargetUrl("/dashboard");
        setAuthenticationSuccessHandler(success);
        setAuthenticationFailureHandler((request, response, exception) -> {
            signedIn().ifPresent(account -> throttle.failed(account.email(), request.getRemoteAddr()));
            response.sendRedirect(request.getContextPath() + "/login/totp?error");
        });
    }

    @Override
    public Authentication attemptAuthentication(HttpServletRequest request, HttpServletResponse response) {
        AccountPrincipal account = signedIn()
                .orElseThrow(() -> new InsufficientAuthenticationException("sign in with your password first"));
        String code = Optional.ofNullable(request.getParameter("code")).orElse("");
        if (!totp.verify(account.id(), code)) {
            throw new BadCredentialsException("wrong or reused code");
        }
        return UsernamePasswordAuthenticationToken.authenticated(
                account, null, List.of(FactorGrantedAuthority.fromFactor(SecondFactor.FACTOR)));
    }

    private static Optional<AccountPrincipal> signedIn() {
        Authentication current = SecurityContextHolder.getContext().getAuthentication();
        return current != null && current.getPrincipal() instanceof AccountPrincipal account
                ? Optional.of(account)
                : Optional.empty();
    }
}
