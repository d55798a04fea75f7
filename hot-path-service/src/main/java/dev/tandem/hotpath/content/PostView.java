package dev.tandem.hotpath.content;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.jspecify.annotations.Nullable;

@Schema(name = "Post", description = "A post. `comments` and `moreComments` are present only with ?include=comments.")
@JsonInclude(JsonInclude.Include.NON_NULL)
public record PostView(
        @Schema(examples = "1001") long id,

        @Schema(description = "The author's user id.", examples = "42")
        long authorId,

        @Schema(description = "The author's display name.", examples = "Ada Lovelace")
        String authorName,

        @Schema(examples = "Notes on the Analytical Engine") String title,

        @Schema(examples = "It weaves algebraic patterns just as the Jacquard loom weaves flowers and leaves.")
        String body,

        @Schema(examples = "2026-11-22T10:15:30Z") Instant createdAt,
        @Schema(examples = "2026-11-22T10:15:30Z") Instant updatedAt,

        @Schema(description = "Incremented by every change; the post's ETag is built from it.", examples = "0")
        long version,

        ModerationView moderation,

        @Schema(description = "The first comments, oldest first (with ?include=comments).", nullable = true) @Nullable
        List<CommentView> comments,

        @Schema(
                description = "Whether the post has more comments than shown (page them at /posts/{id}/comments).",
                nullable = true)
        @Nullable
        Boolean moreComments) {

    PostView withComments(List<CommentView> first, boolean more) {
        return new PostView(
                id, authorId, authorName, title, body, createdAt, updatedAt, version, moderation, first, more);
    }
}
