package dev.tandem.core.content;

import dev.tandem.core.mail.Mailer;
import dev.tandem.core.platform.TandemProperties;
import java.util.Map;
import org.springframework.modulith.events.ApplicationModuleListener;
import org.springframework.stereotype.Component;

/**
 * Sends "new comment on your post" after the counters committed, outside the consumer. A failure
 * (SMTP down) leaves the publication incomplete and it is retried, so the mail is not lost. Nothing
 * is sent to an account that is not active, or when the post or the comment is gone or hidden.
 */
@Component
class CommentMails {

    private static final int EXCERPT = 280;

    private final ContentReads reads;
    private final Mailer mailer;
    private final String publicUrl;

    CommentMails(ContentReads reads, Mailer mailer, TandemProperties tandem) {
        this.reads = reads;
        this.mailer = mailer;
        this.publicUrl = tandem.publicUrl().toString().replaceAll("/+$", "");
    }

    @ApplicationModuleListener
    void on(ContentActivity.CommentMailDue due) {
        reads.mailRecipient(due.recipientId())
                .ifPresent(recipient -> reads.postBy(due.recipientId(), due.postId())
                        .ifPresent(post -> reads.comment(due.commentId())
                                .ifPresent(comment -> mailer.send(
                                        recipient.email(),
                                        "new-comment",
                                        Map.of(
                                                "name", recipient.displayName(),
                                                "commenter", comment.authorName(),
                                                "title", post.title(),
                                                "excerpt", excerpt(comment.body()),
                                                "link", publicUrl + "/posts/" + post.id())))));
    }

    private static String excerpt(String body) {
        String flat = body.strip().replaceAll("\\s+", " ");
        return flat.length() <= EXCERPT ? flat : flat.substring(0, EXCERPT - 1) + "…";
    }
}
