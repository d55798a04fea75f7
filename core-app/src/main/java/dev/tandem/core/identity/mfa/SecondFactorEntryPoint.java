package dev.tandem.core.identity.mfa;

import dev.tandem.core.identity.CurrentAccount;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.web.AuthenticationEntryPoint;

/**
 * Where to go when a page needs the second factor: the code prompt for accounts that set one up,
 * the set-up page for staff who have not yet (their accounts require it).
 */
public class SecondFactorEntryPoint implements AuthenticationEntryPoint {

    @Override
    public void commence(HttpServletRequest request, HttpServletResponse response, AuthenticationException reason)
            throws IOException {
        boolean enrolled =
                CurrentAccount.get().map(account -> account.mfaEnabled()).orElse(false);
        response.sendRedirect(request.getContextPath() + (enrolled ? "/login/totp" : "/account/mfa/setup?required"));
    }
}
