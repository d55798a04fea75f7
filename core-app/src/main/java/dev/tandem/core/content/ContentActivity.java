package dev.tandem.core.content;

import dev.tandem.core.messaging.EventConsumer;
import dev.tandem.schema.events.CommentCreated;
import dev.tandem.schema.events.EventEnvelope;
import dev.tandem.schema.events.EventType;
import dev.tandem.schema.events.Events;
import dev.tandem.schema.events.PostCreated;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Keeps each account's dashboard numbers from hot-path-service's content events (queue {@code
 * core.content-activity}): posts written, comments written, comments received on one's posts. A
 * comment on someone else's post also asks for the "new comment on your post" mail, at most once
 * per account per {@code tandem.content.comment-mail-interval}; the mail itself is sent after the
 * commit by {@link CommentMails}, retried until the SMTP server takes it.
 */
@Component
class ContentActivity implements EventConsumer {

    /** A "new comment" mail is due: recorded with the counters, sent after the commit. */
    record CommentMailDue(long recipientId, long postId, long commentId, long commenterId) {}

    private final JdbcClient jdbc;
    private final ApplicationEventPublisher events;
    private final Clock clock;
    private final Duration mailInterval;

    ContentActivity(
            JdbcClient jdbc,
            ApplicationEventPublisher events,
            Clock clock,
            @Value("${tandem.content.comment-mail-interval}") Duration mailInterval) {
        this.jdbc = jdbc;
        this.events = events;
        this.clock = clock;
        this.mailInterval = mailInterval;
    }

    @Override
    public String queue() {
        return "core.content-activity";
    }

    @Override
    public Set<EventType<?>> types() {
        return Set.of(Events.POST_CREATED, Events.COMMENT_CREATED);
    }

    @Override
    public void apply(EventEnvelope<?> event) {
        switch (event.data()) {
            case PostCreated post -> count(post.authorId(), "posts_written");
            case CommentCreated comment -> {
                count(comment.authorId(), "comments_written");
                if (comment.postAuthorId() != comment.authorId()) {
                    count(comment.postAuthorId(), "comments_received");
                    if (mailDue(comment.postAuthorId())) {
                        events.publishEvent(new CommentMailDue(
                                comment.postAuthorId(), comment.postId(), comment.commentId(), comment.authorId()));
                    }
                }
            }
            default -> throw new IllegalArgumentException("not a content event: " + event.type());
        }
    }

    /** Adds one to a counter; an account core-app does not know fails (a foreign key), and is retried. */
    private void count(long userId, String column) {
        jdbc.sql("insert into account_activity (user_id, " + column + ") values (?, 1)"
                        + " on conflict (user_id) do update set " + column + " = account_activity." + column
                        + " + 1, updated_at = now()")
                .param(userId)
                .update();
    }

    /** Claims the account's mail slot when the last "new comment" mail is old enough. */
    private boolean mailDue(long userId) {
        Instant now = clock.instant();
        return jdbc.sql("update account_activity set last_comment_mail_at = ? where user_id = ?"
                                + " and (last_comment_mail_at is null or last_comment_mail_at <= ?)")
                        .params(Timestamp.from(now), userId, Timestamp.from(now.minus(mailInterval)))
                        .update()
                == 1;
    }
}
