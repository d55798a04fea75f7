package dev.tandem.core.identity.mfa;

import dev.tandem.core.identity.AccountPrincipal;
import dev.tandem.core.identity.CurrentAccount;
import dev.tandem.core.identity.login.Reauthentication;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;
import java.util.List;
import org.springframework.security.core.authority.FactorGrantedAuthority;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/** The second factor's pages: the sign-in prompt, set-up with QR code, recovery codes, turning it off. */
@Controller
class MfaController {

    private static final String PENDING_SECRET = "tandem.mfa.pendingSecret";

    private final TotpService totp;
    private final Reauthentication reauthentication;

    MfaController(TotpService totp, Reauthentication reauthentication) {
        this.totp = totp;
        this.reauthentication = reauthentication;
    }

    @GetMapping("/login/totp")
    String prompt() {
        return "identity/login-totp";
    }

    @GetMapping("/account/mfa/setup")
    String setup(HttpSession session, Model model) {
        AccountPrincipal account = CurrentAccount.require();
        if (account.mfaEnabled()) {
            // Replacing an authenticator takes the current one: go through the code prompt first.
            return SecondFactor.presented(SecurityContextHolder.getContext().getAuthentication())
                    ? "redirect:/account/security"
                    : "redirect:/login/totp";
        }
        TotpService.Enrollment enrollment = totp.newEnrollment(account.email());
        session.setAttribute(PENDING_SECRET, enrollment.secret());
        model.addAttribute("enrollment", enrollment);
        return "identity/mfa-setup";
    }

    @PostMapping("/account/mfa/setup")
    String confirm(
            @RequestParam String code,
            HttpSession session,
            HttpServletRequest request,
            HttpServletResponse response,
            Model model) {
        AccountPrincipal account = CurrentAccount.require();
        Object secret = session.getAttribute(PENDING_SECRET);
        if (account.mfaEnabled() || !(secret instanceof String pending)) {
            return "redirect:/account/mfa/setup";
        }
        List<String> recoveryCodes = totp.confirm(account.id(), pending, code);
        if (recoveryCodes.isEmpty()) {
            model.addAttribute("enrollment", totp.enrollment(account.email(), pending));
            model.addAttribute("codeError", "That code did not match. Enter the code your app shows now.");
            return "identity/mfa-setup";
        }
        session.removeAttribute(PENDING_SECRET);
        reauthentication.refresh(request, response, FactorGrantedAuthority.fromFactor(SecondFactor.FACTOR));
        model.addAttribute("recoveryCodes", recoveryCodes);
        return "identity/mfa-recovery-codes";
    }

    @GetMapping("/account/security")
    String security(Model model) {
        AccountPrincipal account = CurrentAccount.require();
        model.addAttribute("mfaEnabled", account.mfaEnabled());
        model.addAttribute("mfaRequired", account.role().requiresMfa());
        model.addAttribute("recoveryCodesLeft", account.mfaEnabled() ? totp.remainingRecoveryCodes(account.id()) : 0);
        return "identity/security";
    }

    @PostMapping("/account/mfa/recovery-codes")
    String newRecoveryCodes(Model model) {
        model.addAttribute(
                "recoveryCodes", totp.newRecoveryCodes(CurrentAccount.require().id()));
        return "identity/mfa-recovery-codes";
    }

    @PostMapping("/account/mfa/disable")
    String disable(HttpServletRequest request, HttpServletResponse response, RedirectAttributes redirect) {
        AccountPrincipal account = CurrentAccount.require();
        if (account.role().requiresMfa()) {
            redirect.addFlashAttribute("flashError", "Staff accounts must keep two-factor authentication on.");
            return "redirect:/account/security";
        }
        totp.disable(account.id());
        reauthentication.refresh(request, response);
        redirect.addFlashAttribute("flash", "Two-factor authentication is off.");
        return "redirect:/account/security";
    }
}
