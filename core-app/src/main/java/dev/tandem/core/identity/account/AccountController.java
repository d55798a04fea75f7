package dev.tandem.core.identity.account;

import dev.tandem.core.identity.AccountPrincipal;
import dev.tandem.core.identity.CurrentAccount;
import dev.tandem.core.identity.login.Reauthentication;
import dev.tandem.core.identity.workspaces.Workspaces;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;
import java.util.ArrayList;
import java.util.List;
import org.springframework.security.web.authentication.logout.SecurityContextLogoutHandler;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/** The account pages: profile, email, password, and closing the account. */
@Controller
@RequestMapping("/account")
class AccountController {

    private final AccountService accounts;
    private final Reauthentication reauthentication;
    private final Workspaces workspaces;

    AccountController(AccountService accounts, Reauthentication reauthentication, Workspaces workspaces) {
        this.workspaces = workspaces;
        this.accounts = accounts;
        this.reauthentication = reauthentication;
    }

    @GetMapping
    String profile(Model model) {
        model.addAttribute("account", CurrentAccount.require());
        return "identity/account";
    }

    @PostMapping("/profile")
    String changeDisplayName(
            @RequestParam String displayName,
            HttpServletRequest request,
            HttpServletResponse response,
            Model model,
            RedirectAttributes redirect) {
        String name = DisplayNames.normalize(displayName);
        if (name.isEmpty() || name.length() > 80) {
            model.addAttribute("account", CurrentAccount.require());
            model.addAttribute("displayNameError", "Use between 1 and 80 characters.");
            return "identity/account";
        }
        accounts.changeDisplayName(CurrentAccount.require().id(), name);
        reauthentication.refresh(request, response);
        redirect.addFlashAttribute("flash", "Your name is now " + name + ".");
        return "redirect:/account";
    }

    @PostMapping("/email")
    String changeEmail(
            @RequestParam String email, @RequestParam String password, Model model, RedirectAttributes redirect) {
        AccountPrincipal account = CurrentAccount.require();
        String address = email.strip();
        List<String> errors = new ArrayList<>();
        if (!address.matches("[^@\\s]+@[^@\\s]+") || address.length() > 254) {
            errors.add("Enter an email address like name@example.com.");
        } else if (address.equalsIgnoreCase(account.email())) {
            errors.add("That is already your address.");
        }
        if (!accounts.passwordMatches(account.id(), password)) {
            errors.add("Your current password is not right.");
        }
        if (!errors.isEmpty()) {
            model.addAttribute("account", account);
            model.addAttribute("emailErrors", errors);
            return "identity/account";
        }
        accounts.requestEmailChange(account.id(), address);
        redirect.addFlashAttribute(
                "flash", "We sent a link to " + address + ". Your address changes once you follow it.");
        return "redirect:/account";
    }

    @PostMapping("/password")
    String changePassword(
            @RequestParam String currentPassword,
            @RequestParam String newPassword,
            @RequestParam String confirmation,
            HttpSession session,
            Model model,
            RedirectAttributes redirect) {
        AccountPrincipal account = CurrentAccount.require();
        List<String> errors = new ArrayList<>();
        if (!accounts.passwordMatches(account.id(), currentPassword)) {
            errors.add("Your current password is not right.");
        }
        errors.addAll(accounts.passwordViolations(account.id(), newPassword));
        if (!newPassword.equals(confirmation)) {
            errors.add("The two new passwords are not the same.");
        }
        if (!errors.isEmpty()) {
            model.addAttribute("account", account);
            model.addAttribute("passwordErrors", errors);
            return "identity/account";
        }
        accounts.changePassword(account.id(), newPassword, session.getId());
        redirect.addFlashAttribute("flash", "Your password is changed. You were signed out everywhere else.");
        return "redirect:/account";
    }

    @GetMapping("/delete")
    String confirmDelete() {
        return "identity/account-delete";
    }

    @PostMapping("/delete")
    String delete(
            @RequestParam String password, HttpServletRequest request, HttpServletResponse response, Model model) {
        AccountPrincipal account = CurrentAccount.require();
        if (!accounts.passwordMatches(account.id(), password)) {
            model.addAttribute("passwordError", "Your password is not right.");
            return "identity/account-delete";
        }
        List<String> held = workspaces.soleOwnerOf(account.id());
        if (!held.isEmpty()) {
            model.addAttribute(
                    "ownerError",
                    "You are the only owner of " + String.join(", ", held)
                            + ". Make another member an owner there (or delete the workspace) before closing your account.");
            return "identity/account-delete";
        }
        accounts.delete(account.id());
        new SecurityContextLogoutHandler().logout(request, response, null);
        return "redirect:/?accountDeleted";
    }
}
