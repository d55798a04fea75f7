package dev.tandem.core.identity.account;

import java.util.List;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;

/**
 * Forgotten passwords. The request page answers the same, at the same speed, whether or not an
 * account exists: it only records the request, and the mail (if any) is sent after the response.
 */
@Controller
@RequestMapping("/password")
class PasswordResetController {

    private final AccountService accounts;

    PasswordResetController(AccountService accounts) {
        this.accounts = accounts;
    }

    @GetMapping("/forgot")
    String forgot() {
        return "identity/password-forgot";
    }

    @PostMapping("/forgot")
    String requestLink(@RequestParam(defaultValue = "") String email, Model model) {
        if (email.isBlank() || !email.contains("@") || email.length() > 254) {
            model.addAttribute("emailError", "Enter the email address of your account.");
            return "identity/password-forgot";
        }
        accounts.requestPasswordReset(email);
        model.addAttribute("email", email.strip());
        return "identity/password-forgot-sent";
    }

    @GetMapping("/reset")
    String form(@RequestParam(defaultValue = "") String token, Model model) {
        if (accounts.resetLinkEmail(token) == null) {
            return "identity/link-expired";
        }
        model.addAttribute("token", token);
        return "identity/password-reset";
    }

    @PostMapping("/reset")
    String reset(
            @RequestParam String token, @RequestParam String password, @RequestParam String confirmation, Model model) {
        String email = accounts.resetLinkEmail(token);
        if (email == null) {
            return "identity/link-expired";
        }
        List<String> errors =
                new java.util.ArrayList<>(accounts.passwordPolicy().violations(password, email));
        if (!password.equals(confirmation)) {
            errors.add("The two passwords are not the same.");
        }
        if (!errors.isEmpty()) {
            model.addAttribute("token", token);
            model.addAttribute("passwordErrors", errors);
            return "identity/password-reset";
        }
        return accounts.resetPassword(token, password) ? "redirect:/login?reset" : "identity/link-expired";
    }
}
