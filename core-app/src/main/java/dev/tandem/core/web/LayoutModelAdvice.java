package dev.tandem.core.web;

import dev.tandem.core.identity.AccountPrincipal;
import dev.tandem.core.identity.CurrentAccount;
import dev.tandem.core.identity.workspaces.CurrentWorkspace;
import dev.tandem.core.identity.workspaces.Workspaces;
import dev.tandem.core.platform.TandemProperties;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpSession;
import java.util.List;
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

    /** The header's switcher: the session's workspace and the account's others; null when signed out. */
    @ModelAttribute("switcher")
    @Nullable
    Switcher switcher(HttpServletRequest request) {
        var account = CurrentAccount.get();
        HttpSession session = request.getSession(false);
        if (account.isEmpty() || session == null) {
            return null;
        }
        long id = account.get().id();
        return current.of(id, session)
                .map(workspace -> new Switcher(workspace, workspaces.of(id)))
                .orElse(null);
    }

    record Switcher(Workspaces.Membership current, List<Workspaces.Membership> all) {}

    @ModelAttribute("currentAccount")
    @Nullable
    AccountPrincipal currentAccount() {
        return CurrentAccount.get().orElse(null);
    }
}
