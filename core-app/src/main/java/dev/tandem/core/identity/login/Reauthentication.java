package dev.tandem.core.identity.login;

import dev.tandem.core.identity.AccountPrincipal;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.authority.FactorGrantedAuthority;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.web.context.HttpSessionSecurityContextRepository;
import org.springframework.security.web.context.SecurityContextRepository;
import org.springframework.stereotype.Component;

/**
 * Refreshes the signed-in account in its session after the account changed (name, email, second
 * factor), keeping the factors already presented and optionally adding one (a second factor just
 * proven by setting it up).
 */
@Component
public class Reauthentication {

    private final AccountUserDetailsService accounts;
    private final SecurityContextRepository repository = new HttpSessionSecurityContextRepository();

    Reauthentication(AccountUserDetailsService accounts) {
        this.accounts = accounts;
    }

    public void refresh(HttpServletRequest request, HttpServletResponse response, GrantedAuthority... added) {
        Authentication current = SecurityContextHolder.getContext().getAuthentication();
        if (current == null || !(current.getPrincipal() instanceof AccountPrincipal account)) {
            return;
        }
        AccountPrincipal fresh = accounts.principal(account.id());
        Collection<GrantedAuthority> authorities = new ArrayList<>(fresh.getAuthorities());
        current.getAuthorities().stream()
                .filter(authority -> authority instanceof FactorGrantedAuthority)
                .forEach(authorities::add);
        authorities.addAll(List.of(added));
        SecurityContext context = SecurityContextHolder.createEmptyContext();
        context.setAuthentication(UsernamePasswordAuthenticationToken.authenticated(fresh, null, authorities));
        SecurityContextHolder.setContext(context);
        repository.saveContext(context, request, response);
    }
}
