package dev.tandem.core.web;

import dev.tandem.core.identity.AccountPrincipal;
import dev.tandem.core.identity.CurrentAccount;
import dev.tandem.core.identity.workspaces.CurrentWorkspace;
import dev.tandem.core.identity.workspaces.Workspaces;
import dev.tandem.core.platform.TandemProperties;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpSession;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.ModelAttribute;

/**
 * What the layout shows on every page: the signed-in account (if any), its workspaces for the
 * switcher, and where the API docs are.
 */
@ControllerAdvice
class LayoutModelAdvice {

    private final String apiDocsUrl;
    private final Workspaces workspaces;
    private final CurrentWorkspace current;

    LayoutModelAdvice(TandemProperties properties, Workspaces workspaces, CurrentWorkspace current) {
        this.apiDocsUrl = properties.hotPathUrl().resolve("/q/swagger-ui").toString();
        this.workspaces = workspaces;
        this.current = current;
    }

    @ModelAttribute("apiDocsUrl")
    String apiDocsUrl() {
        return apiDocsUrl;
    }

    /**
     * The header's switcher, null when signed out. Read only when a page renders it: a request that
     * answers with a redirect (every form post) runs none of its queries.
     */
    @ModelAttribute("switcher")
    @Nullable
    Switcher switcher(HttpServletRequest request) {
        var account = CurrentAccount.get();
        HttpSession session = request.getSession(false);
        return account.isEmpty() || session == null
                ? null
                : new Switcher(account.get().id(), session);
    }

    /** The session's workspace and all of the account's, each looked up once, on first use. */
    final class Switcher {

        private final long account;
        private final HttpSession session;
        private @Nullable Optional<Workspaces.Membership> current;
        private @Nullable List<Workspaces.Membership> all;

        private Switcher(long account, HttpSession session) {
            this.account = account;
            this.session = session;
        }

        /** The session's workspace; null for an account in no workspace. */
        public Workspaces.@Nullable Membership current() {
            if (current == null) {
                current = LayoutModelAdvice.this.current.of(account, session);
            }
            return current.orElse(null);
        }

        public List<Workspaces.Membership> all() {
            if (all == null) {
                all = workspaces.of(account);
            }
            return all;
        }
    }

    @ModelAttribute("currentAccount")
    @Nullable
    AccountPrincipal currentAccount() {
        return CurrentAccount.get().orElse(null);
    }
}
