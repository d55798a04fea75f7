package dev.tandem.core.content;

import dev.tandem.core.identity.AccountPrincipal;
import dev.tandem.core.identity.CurrentAccount;
import dev.tandem.core.identity.Role;
import dev.tandem.core.identity.workspaces.CurrentWorkspace;
import dev.tandem.core.identity.workspaces.Workspaces.Membership;
import dev.tandem.schema.workspaces.WorkspaceAction;
import jakarta.servlet.http.HttpSession;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.util.List;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.validation.BindingResult;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * "My posts" and a post's page. Reading comes from the shared database; writing goes through
 * hot-path's API (see {@link ContentApi}). Each form carries a request id, sent as the API's
 * Idempotency-Key: a double click or a resent form creates one post, not two.
 */
@Controller
class ContentController {

    /** A new post, as typed. */
    record PostForm(
            @NotBlank(message = "Give your post a title.")
            @Size(max = 200, message = "At most 200 characters.")
            @Nullable
            String title,

            @NotNull(message = "Write something.") @Size(max = 40000, message = "At most 40,000 characters.") @Nullable
            String body,

            @NotNull @Pattern(regexp = "[0-9a-f-]{36}") @Nullable
            String requestId) {

        static PostForm empty() {
            return new PostForm("", "", UUID.randomUUID().toString());
        }
    }

    /** A new comment, as typed. */
    record CommentForm(
            @NotBlank(message = "Write a comment.") @Size(max = 10000, message = "At most 10,000 characters.") @Nullable
            String body,

            @NotNull @Pattern(regexp = "[0-9a-f-]{36}") @Nullable
            String requestId) {

        static CommentForm empty() {
            return new CommentForm("", UUID.randomUUID().toString());
        }
    }

    private final ContentReads reads;
    private final ContentApi api;
    private final CurrentWorkspace current;

    ContentController(ContentReads reads, ContentApi api, CurrentWorkspace current) {
        this.reads = reads;
        this.api = api;
        this.current = current;
    }

    /** The session's workspace: every page here shows and writes that workspace's content only. */
    private Membership workspace(AccountPrincipal account, HttpSession session) {
        return current.of(account.id(), session).orElseThrow(() -> new ResponseStatusException(HttpStatus.NOT_FOUND));
    }

    /** Whether the viewer sees and may act on everyone's content in the workspace (held posts included). */
    private static boolean moderates(AccountPrincipal viewer, Membership workspace) {
        return viewer.role() != Role.USER || workspace.role().may(WorkspaceAction.MODERATE_CONTENT);
    }

    @GetMapping("/posts")
    String myPosts(@RequestParam(required = false) @Nullable Long before, HttpSession session, Model model) {
        AccountPrincipal account = CurrentAccount.require();
        List<ContentReads.PostSummary> rows =
                reads.postsOf(workspace(account, session).id(), account.id(), before);
        boolean more = rows.size() > ContentReads.PAGE;
        List<ContentReads.PostSummary> page = more ? rows.subList(0, ContentReads.PAGE) : rows;
        model.addAttribute("posts", page);
        model.addAttribute("olderThan", more ? page.getLast().id() : null);
        if (!model.containsAttribute("postForm")) {
            model.addAttribute("postForm", PostForm.empty());
        }
        return "content/my-posts";
    }

    @PostMapping("/posts")
    String createPost(
            @Valid @ModelAttribute("postForm") PostForm form,
            BindingResult errors,
            HttpSession session,
            Model model,
            RedirectAttributes redirect) {
        AccountPrincipal account = CurrentAccount.require();
        Membership workspace = workspace(account, session);
        if (!account.emailVerified()) {
            errors.reject("unverified", "Confirm your email address before you post.");
        } else if (!workspace.role().may(WorkspaceAction.WRITE_CONTENT)) {
            errors.reject("role", "A viewer of this workspace cannot post.");
        }
        if (!errors.hasErrors()) {
            try {
                ContentApi.Created created =
                        api.createPost(account, workspace.id(), form.requestId(), form.title(), form.body());
                redirect.addFlashAttribute(
                        "flash",
                        created.held()
                                ? "Your post is held for review: it looks like spam to our filter. Staff will look at it."
                                : "Your post is published.");
                return "redirect:/posts/" + created.id();
            } catch (ContentApiException e) {
                refused(e, errors, model);
            }
        }
        return myPosts(null, session, model);
    }

    @GetMapping("/posts/{id}")
    String post(
            @PathVariable long id,
            @RequestParam(required = false) @Nullable Integer page,
            HttpSession session,
            Model model) {
        AccountPrincipal viewer = CurrentAccount.require();
        Membership workspace = workspace(viewer, session);
        boolean staff = moderates(viewer, workspace);
        ContentReads.Post post = reads.post(workspace.id(), id, viewer.id(), staff)
                .orElseThrow(() -> new ResponseStatusException(HttpStatus.NOT_FOUND));
        long count = reads.commentCount(id, viewer.id(), staff);
        int pages = (int) Math.max(1, (count + ContentReads.COMMENTS - 1) / ContentReads.COMMENTS);
        int shown = page == null ? 1 : Math.clamp(page, 1, pages);
        model.addAttribute("post", post);
        model.addAttribute("commentCount", count);
        model.addAttribute("page", shown);
        model.addAttribute("pages", pages);
        model.addAttribute("comments", reads.commentsOf(id, shown, viewer.id(), staff));
        if (!model.containsAttribute("commentForm")) {
            model.addAttribute("commentForm", CommentForm.empty());
        }
        return "content/post";
    }

    @PostMapping("/posts/{id}/comments")
    String comment(
            @PathVariable long id,
            @Valid @ModelAttribute("commentForm") CommentForm form,
            BindingResult errors,
            HttpSession session,
            Model model,
            RedirectAttributes redirect) {
        AccountPrincipal account = CurrentAccount.require();
        Membership workspace = workspace(account, session);
        // Another workspace's post is not found here either, before anything is sent to the API.
        reads.post(workspace.id(), id, account.id(), moderates(account, workspace))
                .orElseThrow(() -> new ResponseStatusException(HttpStatus.NOT_FOUND));
        if (!account.emailVerified()) {
            errors.reject("unverified", "Confirm your email address before you comment.");
        } else if (!workspace.role().may(WorkspaceAction.WRITE_CONTENT)) {
            errors.reject("role", "A viewer of this workspace cannot comment.");
        }
        if (!errors.hasErrors()) {
            try {
                ContentApi.Created created =
                        api.createComment(account, workspace.id(), form.requestId(), id, form.body());
                redirect.addFlashAttribute(
                        "flash",
                        created.held()
                                ? "Your comment is held for review: it looks like spam to our filter."
                                : "Your comment is posted.");
                // The newest comment is on the last page.
                long count = reads.commentCount(id, account.id(), moderates(account, workspace));
                long last = Math.max(1, (count + ContentReads.COMMENTS - 1) / ContentReads.COMMENTS);
                return "redirect:/posts/" + id + "?page=" + last + "#comments";
            } catch (ContentApiException e) {
                if (e.status() == 404) {
                    throw new ResponseStatusException(HttpStatus.NOT_FOUND);
                }
                refused(e, errors, model);
            }
        }
        return post(id, null, session, model);
    }

    /**
     * The API's refusal on the form: its field errors next to the fields, anything else on top.
     * A 422 without field errors means the form's request id was already used for other content
     * (an earlier attempt that may have gone through, then an edit): the form gets a new id.
     */
    private static void refused(ContentApiException e, BindingResult errors, Model model) {
        if (e.status() == 422 && e.fieldErrors().isEmpty()) {
            model.addAttribute("freshRequestId", UUID.randomUUID().toString());
            errors.reject(
                    "api", "An earlier attempt with this form may already be published: check before sending again.");
            return;
        }
        if (e.fieldErrors().isEmpty()) {
            errors.reject("api", e.getMessage());
            return;
        }
        e.fieldErrors().forEach((field, message) -> {
            if (errors.getFieldType(field) != null) {
                errors.rejectValue(field, "api", message);
            } else {
                errors.reject("api", message);
            }
        });
    }
}
