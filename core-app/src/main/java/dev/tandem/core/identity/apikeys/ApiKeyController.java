package dev.tandem.core.identity.apikeys;

import dev.tandem.core.identity.AccountPrincipal;
import dev.tandem.core.identity.CurrentAccount;
import dev.tandem.schema.auth.ApiScope;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/** The API keys page: create (the secret is shown once), list, revoke. Verified accounts only. */
@Controller
@RequestMapping("/account/api-keys")
class ApiKeyController {

    private final ApiKeys apiKeys;

    ApiKeyController(ApiKeys apiKeys) {
        this.apiKeys = apiKeys;
    }

    @GetMapping
    String list(Model model) {
        AccountPrincipal account = CurrentAccount.require();
        model.addAttribute("keys", apiKeys.list(account.id()));
        model.addAttribute("scopes", ApiScope.values());
        model.addAttribute("canCreate", account.emailVerified());
        return "identity/api-keys";
    }

    @PostMapping
    String create(
            @RequestParam(defaultValue = "") String name,
            @RequestParam(required = false) List<String> scopes,
            Model model,
            RedirectAttributes redirect) {
        AccountPrincipal account = CurrentAccount.require();
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
                ApiKeys.CreatedKey created = apiKeys.create(account.id(), name.strip(), chosen);
                redirect.addFlashAttribute("created", created);
                return "redirect:/account/api-keys";
            } catch (TooManyApiKeysException e) {
                error = e.getMessage();
            }
        }
        model.addAttribute("keys", apiKeys.list(account.id()));
        model.addAttribute("scopes", ApiScope.values());
        model.addAttribute("canCreate", account.emailVerified());
        model.addAttribute("createError", error);
        model.addAttribute("name", name);
        return "identity/api-keys";
    }

    @PostMapping("/{id}/revoke")
    String revoke(@PathVariable String id, RedirectAttributes redirect) {
        if (apiKeys.revoke(CurrentAccount.require().id(), id)) {
            redirect.addFlashAttribute("flash", "The key was revoked. Requests with it now fail.");
        }
        return "redirect:/account/api-keys";
    }
}
