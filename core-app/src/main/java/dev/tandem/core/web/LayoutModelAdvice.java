package dev.tandem.core.web;

import dev.tandem.core.identity.AccountPrincipal;
import dev.tandem.core.identity.CurrentAccount;
import dev.tandem.core.platform.TandemProperties;
import org.jspecify.annotations.Nullable;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.ModelAttribute;

/** What the layout shows on every page: the signed-in account (if any) and where the API docs are. */
@ControllerAdvice
class LayoutModelAdvice {

    private final String apiDocsUrl;

    LayoutModelAdvice(TandemProperties properties) {
        this.apiDocsUrl = properties.hotPathUrl().resolve("/q/swagger-ui").toString();
    }

    @ModelAttribute("apiDocsUrl")
    String apiDocsUrl() {
        return apiDocsUrl;
    }

    @ModelAttribute("currentAccount")
    @Nullable
    AccountPrincipal currentAccount() {
        return CurrentAccount.get().orElse(null);
    }
}
