package dev.tandem.core.identity.workspaces;

import dev.tandem.core.identity.AccountPrincipal;
import dev.tandem.core.identity.CurrentAccount;
import dev.tandem.core.identity.workspaces.Workspaces.Membership;
import dev.tandem.schema.workspaces.WorkspaceRole;
import jakarta.servlet.http.HttpSession;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * Invitations: sent, resent and revoked from the members page; opened from the mail's link (a
 * public page: the invited person may have no account yet) and accepted when signed in with the
 * invited address, or from the list of invitations to one's verified address.
 */
@Controller
class InvitationController {

    private final Invitations invitations;
    private final Workspaces workspaces;
    private final CurrentWorkspace current;

    InvitationController(Invitations invitations, Workspaces workspaces, CurrentWorkspace current) {
        this.invitations = invitations;
        this.workspaces = workspaces;
        this.current = current;
    }

    @PostMapping("/w/{slug}/invitations")
    String invite(
            @PathVariable String slug,
            @RequestParam(defaultValue = "") String email,
            @RequestParam(defaultValue = "member") String role,
            RedirectAttributes redirect) {
        long account = CurrentAccount.require().id();
        Membership workspace = workspaces.require(account, slug);
        try {
            invitations.invite(
                    account,
                    workspace.id(),
                    email,
                    WorkspaceRole.parse(role).orElseThrow(() -> new WorkspaceRuleException("Choose a role.")));
            redirect.addFlashAttribute("flash", "Invitation sent to " + email.strip() + ".");
        } catch (WorkspaceRuleException e) {
            redirect.addFlashAttribute("inviteError", e.getMessage());
            redirect.addFlashAttribute("inviteEmail", email);
            redirect.addFlashAttribute("inviteRole", role);
        }
        return "redirect:/w/" + slug + "/members";
    }

    @PostMapping("/w/{slug}/invitations/{id}/resend")
    String resend(@PathVariable String slug, @PathVariable long id, RedirectAttributes redirect) {
        long account = CurrentAccount.require().id();
        return change(
                slug,
                redirect,
                "Invitation sent again with a new link; the old one no longer works.",
                () -> invitations.resend(
                        account, workspaces.require(account, slug).id(), id));
    }

    @PostMapping("/w/{slug}/invitations/{id}/revoke")
    String revoke(@PathVariable String slug, @PathVariable long id, RedirectAttributes redirect) {
        long account = CurrentAccount.require().id();
        return change(
                slug,
                redirect,
                "Invitation revoked; its link no longer works.",
                () -> invitations.revoke(
                        account, workspaces.require(account, slug).id(), id));
    }

    @GetMapping("/invitations/{token}")
    String open(@PathVariable String token, Model model) {
        model.addAttribute("invited", invitations.peek(token).orElse(null));
        model.addAttribute("token", token);
        return "workspaces/invitation";
    }

    /** Where "sign in to accept" leads: after the sign-in (the saved request), back to the invitation. */
    @GetMapping("/invitations/{token}/accept")
    String signedInToAccept(@PathVariable String token) {
        return "redirect:/invitations/" + token;
    }

    @PostMapping("/invitations/{token}/accept")
    String accept(@PathVariable String token, HttpSession session, RedirectAttributes redirect) {
        AccountPrincipal account = CurrentAccount.require();
        try {
            return joined(invitations.accept(token, account.id(), account.email()), account, session, redirect);
        } catch (WorkspaceRuleException e) {
            redirect.addFlashAttribute("flashError", e.getMessage());
            return "redirect:/invitations/" + token;
        }
    }

    /** Accepts an invitation to the account's own, verified address without its link. */
    @PostMapping("/workspaces/invitations/{id}/accept")
    String acceptListed(@PathVariable long id, HttpSession session, RedirectAttributes redirect) {
        AccountPrincipal account = CurrentAccount.require();
        try {
            if (!account.emailVerified()) {
                throw new WorkspaceRuleException(
                        "Confirm your email address first, or use the link in the invitation.");
            }
            return joined(invitations.accept(id, account.id(), account.email()), account, session, redirect);
        } catch (WorkspaceRuleException e) {
            redirect.addFlashAttribute("flashError", e.getMessage());
            return "redirect:/workspaces";
        }
    }

    private String joined(
            Membership joined, AccountPrincipal account, HttpSession session, RedirectAttributes redirect) {
        current.switchTo(account.id(), joined, session);
        redirect.addFlashAttribute("flash", "Welcome to " + joined.name() + ".");
        return "redirect:/w/" + joined.slug() + "/members";
    }

    private static String change(String slug, RedirectAttributes redirect, String done, Runnable change) {
        try {
            change.run();
            redirect.addFlashAttribute("flash", done);
        } catch (WorkspaceRuleException e) {
            redirect.addFlashAttribute("flashError", e.getMessage());
        }
        return "redirect:/w/" + slug + "/members";
    }
}
