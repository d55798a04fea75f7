package dev.tandem.core.identity.apikeys;

import dev.tandem.core.identity.AccountPrincipal;
import dev.tandem.core.identity.CurrentAccount;
import dev.tandem.core.identity.workspaces.CurrentWorkspace;
import dev.tandem.core.identity.workspaces.Workspaces;
import dev.tandem.core.identity.workspaces.Workspaces.Membership;
import dev.tandem.schema.auth.ApiScope;
import dev.tandem.schema.workspaces.WorkspaceAction;
import jakarta.servlet.http.HttpSession;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * A workspace's API keys page: the signed-in member's keys there; create (the secret is shown
 * once), list, revoke. Members with {@link WorkspaceAction#MANAGE_API_KEYS} and a verified address
 * only; a role without it gets 404 for the page.
 */
@Controller
class ApiKeyController {

    private final ApiKeys apiKeys;
    private final Workspaces workspaces;
    private final CurrentWorkspace current;

    ApiKeyController(ApiKeys apiKeys, Workspaces workspaces, CurrentWorkspace current) {
        this.apiKeys = apiKeys;
        this.workspaces = workspaces;
        this.current = current;
    }

    /** The account settings' link: the keys of the workspace the session is in. */
    @GetMapping("/account/api-keys")
    String inCurrentWorkspace(HttpSession session) {
        return current.of(CurrentAccount.require().id(), session)
                .map(workspace -> "redirect:/w/" + workspace.slug() + "/api-keys")
                .orElse("redirect:/workspaces");
    }

    @GetMapping("/w/{slug}/api-keys")
    String list(@PathVariable String slug, HttpSession session, Model model) {
        AccountPrincipal account = CurrentAccount.require();
        Membership workspace = workspace(account, slug);
        current.switchTo(account.id(), workspace, session);
        return page(account, workspace, model, null);
    }

    @PostMapping("/w/{slug}/api-keys")
    String create(
            @PathVariable String slug,
            @RequestParam(defaultValue = "") String name,
            @RequestParam(required = false) List<String> scopes,
            Model model,
            RedirectAttributes redirect) {
        AccountPrincipal account = CurrentAccount.require();
        Membership workspace = workspace(account, slug);
        Set<ApiScope> chosen = EnumSet.noneOf(ApiScope.class);
        if (scopes != null) {
            scopes.forEach(scope -> ApiScope.of(scope).ifPresent(chosen::add));
        }
        String error = !account.emailVerified()
                ? "Verify your email address before creating API keys."
                : name.isBlank() || name.strip().length() > 80
                        ? "Give the key a name of up to 80 characters, so you recognise it later."
                        : chosen.isEmpty() ? "Choose at least one scope." : null;
        if (error == null) {
            try {
                ApiKeys.CreatedKey created = apiKeys.create(account.id(), workspace.id(), name.strip(), chosen);
                redirect.addFlashAttribute("created", created);
                return "redirect:/w/" + slug + "/api-keys";
            } catch (TooManyApiKeysException e) {
                error = e.getMessage();
            }
        }
        model.addAttribute("name", name);
        return page(account, workspace, model, error);
    }

    @PostMapping("/w/{slug}/api-keys/{id}/revoke")
    String revoke(@PathVariable String slug, @PathVariable String id, RedirectAttributes redirect) {
        AccountPrincipal account = CurrentAccount.require();
        if (apiKeys.revoke(account.id(), workspace(account, slug).id(), id)) {
            redirect.addFlashAttribute("flash", "The key was revoked. Requests with it now fail.");
        }
        return "redirect:/w/" + slug + "/api-keys";
    }

    private String page(AccountPrincipal account, Membership workspace, Model model, @Nullable String error) {
        model.addAttribute("workspace", workspace);
        model.addAttribute("keys", apiKeys.list(account.id(), workspace.id()));
        model.addAttribute("scopes", ApiScope.values());
        model.addAttribute("canCreate", account.emailVerified());
        model.addAttribute("createError", error);
        return "identity/api-keys";
    }

    private Membership workspace(AccountPrincipal account, String slug) {
        return workspaces.require(account.id(), slug, WorkspaceAction.MANAGE_API_KEYS);
    }
}
