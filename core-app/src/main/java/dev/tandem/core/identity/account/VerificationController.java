package dev.tandem.core.identity.account;

import dev.tandem.core.identity.CurrentAccount;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * Email verification. The link shows a confirmation page and the button spends the token, so a
 * mail scanner that prefetches links cannot verify (or burn) it.
 */
@Controller
class VerificationController {

    private final AccountService accounts;
    private final EmailTokens tokens;

    VerificationController(AccountService accounts, EmailTokens tokens) {
        this.accounts = accounts;
        this.tokens = tokens;
    }

    @GetMapping("/verify")
    String confirm(@RequestParam(defaultValue = "") String token, Model model) {
        var redeemable = tokens.peek(token, EmailTokens.Purpose.VERIFY_EMAIL);
        if (redeemable.isEmpty()) {
            return "identity/link-expired";
        }
        model.addAttribute("token", token);
        model.addAttribute("email", redeemable.get().email());
        return "identity/verify";
    }

    @PostMapping("/verify")
    String verify(@RequestParam String token, RedirectAttributes redirect) {
        return switch (accounts.verifyEmail(token)) {
            case VERIFIED -> {
                redirect.addFlashAttribute("flash", "Your email address is verified. Welcome to Tandem!");
                yield CurrentAccount.get().isPresent() ? "redirect:/dashboard" : "redirect:/login?verified";
            }
            case ADDRESS_TAKEN -> {
                redirect.addFlashAttribute("flashError", "That address now belongs to another account.");
                yield "redirect:/account";
            }
            case INVALID -> "identity/link-expired";
        };
    }

    @PostMapping("/verify/resend")
    String resend(RedirectAttributes redirect) {
        accounts.requestVerification(CurrentAccount.require().id());
        redirect.addFlashAttribute("flash", "We sent you a new link. Check your inbox.");
        return "redirect:/dashboard";
    }
}
