package dev.tandem.core.content.admin;

import dev.tandem.core.admin.AdminAction;
import dev.tandem.core.admin.ModelAdmin;
import dev.tandem.core.admin.ModelAdmin.Operation;
import java.time.Clock;
import java.util.List;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * hot-path's content in the staff admin, through the mappings in this package. Posts and comments
 * held for review (docs/inference.md) are found with the moderation filter and released or kept
 * held with the bulk actions; a post's comments show inside its form.
 */
@Configuration(proxyBeanMethods = false)
class ContentAdminRegistration {

    @Bean
    ModelAdmin<Post> postAdmin(Clock clock) {
        return ModelAdmin.of(Post.class)
                .list("title", "author", "moderation", "language", "spam", "createdAt")
                .search("title") // served by posts_title_trgm_idx (V14); bodies are too long to index for this
                .filters("moderation", "language", "author")
                .ordering("-createdAt")
                .readOnly("createdAt", "updatedAt", "moderatedAt")
                .fieldset("Post", "author", "title", "body")
                .fieldset("Moderation", "moderation", "language", "sentiment", "spam", "moderatedAt")
                .fieldset("Dates", "createdAt", "updatedAt")
                .inline(Comment.class, "post")
                .computed("Length", Post::length)
                .action(moderate("release", "Release selected posts", Moderation.VISIBLE, clock, Post::moderate))
                .action(moderate("hold", "Hold selected posts for review", Moderation.HELD, clock, Post::moderate))
                .build();
    }

    @Bean
    ModelAdmin<Comment> commentAdmin(Clock clock) {
        return ModelAdmin.of(Comment.class)
                .display("body")
                .list("body", "post", "author", "moderation", "spam", "createdAt")
                .search("body")
                .filters("moderation", "language", "author")
                .ordering("-createdAt")
                .readOnly("createdAt", "updatedAt", "moderatedAt")
                .fieldset("Comment", "post", "author", "body")
                .fieldset("Moderation", "moderation", "language", "sentiment", "spam", "moderatedAt")
                .fieldset("Dates", "createdAt", "updatedAt")
                .action(moderate("release", "Release selected comments", Moderation.VISIBLE, clock, Comment::moderate))
                .action(moderate(
                        "hold", "Hold selected comments for review", Moderation.HELD, clock, Comment::moderate))
                .build();
    }

    @Bean
    ModelAdmin<Attachment> attachmentAdmin() {
        return ModelAdmin.of(Attachment.class)
                .list("fileName", "owner", "post", "contentType", "sizeBytes", "createdAt")
                .search("fileName", "contentType")
                .filters("contentType", "owner")
                .exclude("storageKey")
                .only(Operation.VIEW)
                .build();
    }

    private static <T> AdminAction<T> moderate(
            String name, String label, Moderation state, Clock clock, ModerationChange<T> change) {
        String verb = state == Moderation.VISIBLE
                ? "shown to everyone again"
                : "hidden from everyone but their authors and staff";
        return new AdminAction<>(name, label, "They will be " + verb + ".", Operation.CHANGE, (List<T> rows) -> {
            rows.forEach(row -> change.apply(row, state, clock.instant()));
            return "Marked " + rows.size() + " as " + state.name().toLowerCase(java.util.Locale.ROOT) + ".";
        });
    }

    @FunctionalInterface
    interface ModerationChange<T> {
        void apply(T row, Moderation state, java.time.Instant now);
    }
}
