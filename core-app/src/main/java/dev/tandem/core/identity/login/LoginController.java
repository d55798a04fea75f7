package dev.tandem.core.identity.login;

import dev.tandem.core.identity.CurrentAccount;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;

@Controller
class LoginController {

    @GetMapping("/login")
    String login() {
        return CurrentAccount.get().isPresent() ? "redirect:/dashboard" : "identity/login";
    }
}
