package dev.tandem.core.identity.workspaces;

import dev.tandem.core.identity.AccountPrincipal;
import dev.tandem.core.identity.CurrentAccount;
import dev.tandem.core.identity.workspaces.Workspaces.Membership;
import dev.tandem.schema.workspaces.WorkspaceAction;
import dev.tandem.schema.workspaces.WorkspaceRole;
import jakarta.servlet.http.HttpSession;
import java.util.List;
import java.util.Optional;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * The workspace pages: the list and the create form, the switcher, members (roles, removal,
 * leaving) and settings (name, address, ownership, deletion). Every page and form checks the
 * member's role against {@link WorkspaceAction}; a page the role may not see answers 404, like a
 * workspace that does not exist.
 */
@Controller
class WorkspaceController {

    private final Workspaces workspaces;
    private final WorkspaceService changes;
    private final Invitations invitations;
    private final CurrentWorkspace current;

    WorkspaceController(
            Workspaces workspaces, WorkspaceService changes, Invitations invitations, CurrentWorkspace current) {
        this.workspaces = workspaces;
        this.changes = changes;
        this.invitations = invitations;
        this.current = current;
    }

    @GetMapping("/workspaces")
    String list(Model model) {
        listModel(CurrentAccount.require(), model);
        return "workspaces/list";
    }

    @PostMapping("/workspaces")
    String create(
            @RequestParam(defaultValue = "") String name,
            @RequestParam(defaultValue = "") String slug,
            HttpSession session,
            Model model) {
        AccountPrincipal account = CurrentAccount.require();
        String cleanName = name.strip();
        String cleanSlug = slug.strip().isEmpty() ? Slugs.suggest(cleanName) : slug.strip();
        Optional<String> nameProblem = nameProblem(cleanName);
        try {
            if (nameProblem.isEmpty()) {
                Membership created = changes.create(account.id(), cleanName, cleanSlug);
                current.switchTo(account.id(), created, session);
                return "redirect:/w/" + created.slug() + "/members";
            }
        } catch (WorkspaceRuleException e) {
            model.addAttribute("slugError", e.getMessage());
        }
        nameProblem.ifPresent(problem -> model.addAttribute("nameError", problem));
        listModel(account, model);
        model.addAttribute("name", name);
        model.addAttribute("slug", slug);
        return "workspaces/list";
    }

    @PostMapping("/workspaces/switch")
    String switchTo(@RequestParam String slug, HttpSession session) {
        long account = CurrentAccount.require().id();
        Membership membership = workspaces.require(account, slug);
        current.switchTo(account, membership, session);
        return "redirect:/dashboard";
    }

    @GetMapping("/w/{slug}/members")
    String members(@PathVariable String slug, HttpSession session, Model model) {
        Membership workspace = open(slug, WorkspaceAction.VIEW, session);
        model.addAttribute("workspace", workspace);
        model.addAttribute("members", workspaces.members(workspace.id()));
        model.addAttribute("roles", WorkspaceRole.values());
        model.addAttribute("me", CurrentAccount.require().id());
        if (workspace.may(WorkspaceAction.INVITE)) {
            model.addAttribute("invitations", invitations.list(workspace.id()));
        }
        return "workspaces/members";
    }

    @PostMapping("/w/{slug}/members/{userId}/role")
    String changeRole(
            @PathVariable String slug,
            @PathVariable long userId,
            @RequestParam String role,
            RedirectAttributes redirect) {
        return act(
                slug,
                "/members",
                redirect,
                "Role changed.",
                (account, workspace) -> changes.changeRole(
                        account,
                        workspace.id(),
                        userId,
                        WorkspaceRole.parse(role).orElseThrow(() -> new WorkspaceRuleException("Choose a role."))));
    }

    @PostMapping("/w/{slug}/members/{userId}/remove")
    String remove(@PathVariable String slug, @PathVariable long userId, RedirectAttributes redirect) {
        return act(
                slug,
                "/members",
                redirect,
                "Member removed.",
                (account, workspace) -> changes.remove(account, workspace.id(), userId));
    }

    @PostMapping("/w/{slug}/leave")
    String leave(@PathVariable String slug, RedirectAttributes redirect) {
        long account = CurrentAccount.require().id();
        Membership workspace = workspaces.require(account, slug);
        try {
            changes.leave(account, workspace.id());
        } catch (WorkspaceRuleException e) {
            redirect.addFlashAttribute("flashError", e.getMessage());
            return "redirect:/w/" + slug + "/members";
        }
        redirect.addFlashAttribute("flash", "You left " + workspace.name() + ".");
        return "redirect:/workspaces";
    }

    @GetMapping("/w/{slug}/settings")
    String settings(@PathVariable String slug, HttpSession session, Model model) {
        Membership workspace = open(slug, WorkspaceAction.EDIT_SETTINGS, session);
        model.addAttribute("workspace", workspace);
        model.addAttribute("name", workspace.name());
        model.addAttribute("slug", workspace.slug());
        model.addAttribute("candidates", newOwnerCandidates(workspace));
        return "workspaces/settings";
    }

    @PostMapping("/w/{slug}/settings")
    String rename(
            @PathVariable String slug,
            @RequestParam(defaultValue = "") String name,
            @RequestParam(name = "slug", defaultValue = "") String newSlug,
            HttpSession session,
            Model model,
            RedirectAttributes redirect) {
        long account = CurrentAccount.require().id();
        Membership workspace = open(slug, WorkspaceAction.EDIT_SETTINGS, session);
        Optional<String> nameProblem = nameProblem(name.strip());
        try {
            if (nameProblem.isEmpty()) {
                changes.rename(account, workspace.id(), name.strip(), newSlug.strip());
                redirect.addFlashAttribute("flash", "Settings saved.");
                return "redirect:/w/" + newSlug.strip() + "/settings";
            }
        } catch (WorkspaceRuleException e) {
            model.addAttribute("slugError", e.getMessage());
        }
        nameProblem.ifPresent(problem -> model.addAttribute("nameError", problem));
        model.addAttribute("workspace", workspace);
        model.addAttribute("name", name);
        model.addAttribute("slug", newSlug);
        model.addAttribute("candidates", newOwnerCandidates(workspace));
        return "workspaces/settings";
    }

    @PostMapping("/w/{slug}/transfer")
    String transfer(@PathVariable String slug, @RequestParam long userId, RedirectAttributes redirect) {
        return act(
                slug,
                "/members",
                redirect,
                "Ownership transferred; you are now an admin.",
                (account, workspace) -> changes.transferOwnership(account, workspace.id(), userId));
    }

    @PostMapping("/w/{slug}/delete")
    String delete(
            @PathVariable String slug, @RequestParam(defaultValue = "") String confirm, RedirectAttributes redirect) {
        long account = CurrentAccount.require().id();
        Membership workspace = workspaces.require(account, slug);
        try {
            changes.delete(account, workspace.id(), confirm);
        } catch (WorkspaceRuleException e) {
            redirect.addFlashAttribute("flashError", e.getMessage());
            return "redirect:/w/" + slug + "/settings";
        }
        redirect.addFlashAttribute("flash", workspace.name() + " was deleted; its content is being erased.");
        return "redirect:/workspaces";
    }

    /** The workspace of a page the account opens, made the session's workspace; 404 without the right. */
    private Membership open(String slug, WorkspaceAction action, HttpSession session) {
        return current.open(CurrentAccount.require().id(), slug, action, session);
    }

    private interface Change {
        void apply(long account, Membership workspace);
    }

    /** Runs a change a member asked for; a refusal comes back as the page's error message. */
    private String act(String slug, String page, RedirectAttributes redirect, String done, Change change) {
        long account = CurrentAccount.require().id();
        Membership workspace = workspaces.require(account, slug);
        try {
            change.apply(account, workspace);
            redirect.addFlashAttribute("flash", done);
        } catch (WorkspaceRuleException e) {
            redirect.addFlashAttribute("flashError", e.getMessage());
        }
        return "redirect:/w/" + slug + page;
    }

    /** The account's workspaces, and the open invitations to its address once that is verified. */
    private void listModel(AccountPrincipal account, Model model) {
        model.addAttribute("workspaces", workspaces.of(account.id()));
        model.addAttribute("invitedTo", account.emailVerified() ? invitations.forAddress(account.email()) : List.of());
    }

    /** Who ownership can be transferred to: every member who is not an owner already. */
    private List<Workspaces.Member> newOwnerCandidates(Membership workspace) {
        return workspaces.members(workspace.id()).stream()
                .filter(member -> member.role() != WorkspaceRole.OWNER)
                .toList();
    }

    static Optional<String> nameProblem(String name) {
        return name.isEmpty() || name.length() > 80
                ? Optional.of("Give the workspace a name of 1–80 characters.")
                : Optional.empty();
    }
}
