package dev.tandem.core.content;

import dev.tandem.core.identity.AccountPrincipal;
import dev.tandem.core.identity.CurrentAccount;
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

    ContentController(ContentReads reads, ContentApi api) {
        this.reads = reads;
        this.api = api;
    }

    @GetMapping("/posts")
    String myPosts(@RequestParam(required = false) @Nullable Long before, Model model) {
        AccountPrincipal account = CurrentAccount.require();
        List<ContentReads.PostSummary> rows = reads.postsOf(account.id(), before);
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
            Model model,
            RedirectAttributes redirect) {
        AccountPrincipal account = CurrentAccount.require();
        if (!account.emailVerified()) {
            errors.reject("unverified", "Confirm your email address before you post.");
        }
        if (!errors.hasErrors()) {
            try {
                ContentApi.Created created = api.createPost(account, form.requestId(), form.title(), form.body());
                redirect.addFlashAttribute("flash", "Your post is published.");
                return "redirect:/posts/" + created.id();
            } catch (ContentApiException e) {
                refused(e, errors);
            }
        }
        return myPosts(null, model);
    }

    @GetMapping("/posts/{id}")
    String post(@PathVariable long id, Model model) {
        ContentReads.Post post = reads.post(id).orElseThrow(() -> new ResponseStatusException(HttpStatus.NOT_FOUND));
        model.addAttribute("post", post);
        model.addAttribute("comments", reads.commentsOf(id));
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
            Model model,
            RedirectAttributes redirect) {
        AccountPrincipal account = CurrentAccount.require();
        if (!account.emailVerified()) {
            errors.reject("unverified", "Confirm your email address before you comment.");
        }
        if (!errors.hasErrors()) {
            try {
                api.createComment(account, form.requestId(), id, form.body());
                redirect.addFlashAttribute("flash", "Your comment is posted.");
                return "redirect:/posts/" + id + "#comments";
            } catch (ContentApiException e) {
                if (e.status() == 404) {
                    throw new ResponseStatusException(HttpStatus.NOT_FOUND);
                }
                refused(e, errors);
            }
        }
        return post(id, model);
    }

    /** The API's refusal on the form: its field errors next to the fields, anything else on top. */
    private static void refused(ContentApiException e, BindingResult errors) {
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
