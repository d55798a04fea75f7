package dev.tandem.core.identity;

import java.util.Optional;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;

/** The account of the current request, for features that need to know who is asking. */
public final class CurrentAccount {

    private CurrentAccount() {}

    public static Optional<AccountPrincipal> get() {
        Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
        return authentication != null && authentication.getPrincipal() instanceof AccountPrincipal principal
                ? Optional.of(principal)
                : Optional.empty();
    }

    public static AccountPrincipal require() {
        return get().orElseThrow(() -> new IllegalStateException("no signed-in account"));
    }
}
