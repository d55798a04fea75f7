package dev.tandem.core.identity.sessions;

import dev.tandem.core.identity.CurrentAccount;
import jakarta.servlet.http.HttpSession;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/** "Where you're signed in": the account's sessions, each revocable, and "sign out everywhere else". */
@Controller
@RequestMapping("/account/sessions")
class SessionsController {

    private final SessionRegistry registry;

    SessionsController(SessionRegistry registry) {
        this.registry = registry;
    }

    @GetMapping
    String list(HttpSession session, Model model) {
        model.addAttribute("sessions", registry.list(CurrentAccount.require().getUsername(), session.getId()));
        return "identity/sessions";
    }

    @PostMapping("/{id}/revoke")
    String revoke(@PathVariable String id, HttpSession session, RedirectAttributes redirect) {
        if (id.equals(session.getId())) {
            redirect.addFlashAttribute("flashError", "To end this session, sign out.");
        } else if (registry.revoke(CurrentAccount.require().getUsername(), id)) {
            redirect.addFlashAttribute("flash", "The session was signed out.");
        }
        return "redirect:/account/sessions";
    }

    @PostMapping("/revoke-others")
    String revokeOthers(HttpSession session, RedirectAttributes redirect) {
        int ended = registry.revokeAllExcept(CurrentAccount.require().getUsername(), session.getId());
        redirect.addFlashAttribute(
                "flash", ended == 1 ? "1 other session was signed out." : ended + " other sessions were signed out.");
        return "redirect:/account/sessions";
    }
}
